import { errorOf } from './common.mjs'

const NAME = '@dqbd/tiktoken'
// 1.0.7, for its old wasm-bindgen (0.2.84); the newest, 1.0.22, is built with 0.2.100, as tiktoken.mjs's package is.
const VERSION = '1.0.7'

async function tiktokenSmoke(enc, extra = {}) {
  try {
    const tokens = enc.encode('Hello, wasm-unbrick! A Rust abort never bricks the module.')
    return {
      tokens: Array.from(tokens),
      text: new TextDecoder().decode(enc.decode(tokens)),
      special: Array.from(enc.encode('<|endoftext|>', 'all')),
      single: new TextDecoder().decode(enc.decode_single_token_bytes(tokens[1])),
      ...extra,
      errors: [await errorOf(() => enc.encode('<|endoftext|>'))],
    }
  } finally {
    enc.free()
  }
}
const decodeTrap = (enc) => {
  // Decoding an unknown token: an out-of-range panic in the Rust code.
  return enc.decode(Uint32Array.from([4294967295]))
}

// The lite entry: a Tiktoken built from one of the package's encoder files.
const liteEncoding = (m) => new m.Tiktoken(m.cl100k.bpe_ranks, m.cl100k.special_tokens, m.cl100k.pat_str)

export default [
  {
    id: '@dqbd/tiktoken (cjs entry)',
    name: NAME,
    version: VERSION,
    dir: '.',
    inspect: 'tiktoken.cjs',
    layout: 'wasm-bindgen bundler output, with a CommonJS loader tiktoken.cjs beside',
    load: (ctx) => ctx.require('tiktoken.cjs'),
    smoke: async (m) => {
      const model = m.encoding_for_model('gpt-3.5-turbo')
      const name = model.name
      model.free()
      return tiktokenSmoke(m.get_encoding('cl100k_base'), { model: name, unknown: await errorOf(() => m.get_encoding('nope')) })
    },
    trap: (m) => decodeTrap(m.get_encoding('gpt2')),
    fails: 'panic: index out of bounds in Tiktoken.decode (token id 4294967295)',
    stale: { make: (m) => m.get_encoding('gpt2'), use: (enc) => enc.encode('stale') },
  },
  {
    id: '@dqbd/tiktoken (lite cjs entry)',
    name: NAME,
    version: VERSION,
    dir: '.',
    inspect: 'lite/tiktoken.cjs',
    layout: 'wasm-bindgen bundler output in lite/, with a CommonJS loader lite/tiktoken.cjs beside; encoders as JSON',
    load: (ctx) => {
      const m = ctx.require('lite/tiktoken.cjs')
      return { Tiktoken: m.Tiktoken, __unbrick: m.__unbrick, cl100k: ctx.require('encoders/cl100k_base.json') }
    },
    smoke: (m) => tiktokenSmoke(liteEncoding(m)),
    trap: (m) => decodeTrap(liteEncoding(m)),
    fails: 'panic: index out of bounds in Tiktoken.decode (token id 4294967295)',
    stale: { make: liteEncoding, use: (enc) => enc.encode('stale') },
  },
]
