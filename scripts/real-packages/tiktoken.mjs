import { errorOf } from './common.mjs'

async function tiktokenSmoke(m) {
  const enc = m.get_encoding('cl100k_base')
  try {
    const tokens = enc.encode('Hello, wasm-unbrick! A Rust abort never bricks the module.')
    const text = new TextDecoder().decode(enc.decode(tokens))
    return {
      tokens: Array.from(tokens),
      text,
      model: m.get_encoding_name_for_model('gpt-4'),
      errors: [await errorOf(() => m.get_encoding('nope')), await errorOf(() => enc.encode('<|endoftext|>'))],
    }
  } finally {
    enc.free()
  }
}
const tiktokenTrap = (m) => {
  // Decoding an unknown token: an out-of-range panic in the Rust code.
  const enc = m.get_encoding('gpt2')
  return enc.decode(new Uint32Array([4294967295]))
}
const tiktokenStale = { make: (m) => m.get_encoding('gpt2'), use: (enc) => enc.encode('stale') }

export default [
  {
    id: 'tiktoken (cjs entry)',
    layout: 'bundler output with a CommonJS loader tiktoken.cjs beside',
    fails: 'panic: index out of bounds in Tiktoken.decode (token id 4294967295)',
    name: 'tiktoken',
    version: '1.0.22',
    dir: '.',
    inspect: 'tiktoken.cjs',
    load: (ctx) => ctx.require('tiktoken.cjs'),
    smoke: tiktokenSmoke,
    trap: tiktokenTrap,
    stale: tiktokenStale,
  },
  {
    id: 'tiktoken (bundler entry)',
    layout: 'wasm-pack bundler',
    fails: 'panic: index out of bounds in Tiktoken.decode (token id 4294967295)',
    name: 'tiktoken',
    version: '1.0.22',
    dir: '.',
    flags: { before: ['--experimental-wasm-modules'] },
    load: (ctx) => ctx.import('tiktoken.js'),
    smoke: tiktokenSmoke,
    trap: tiktokenTrap,
    stale: tiktokenStale,
  },
]
