import { errorOf, sha } from './common.mjs'

const NAME = 'brotli-wasm'
const VERSION = '3.0.1'

const text = () => new TextEncoder().encode('Hello, wasm-unbrick! A Rust abort never bricks the module. '.repeat(20))

// The README's streaming loop: feed the input, then finish, OUTPUT_SIZE bytes at a time.
function streamCompress(m, input) {
  const stream = new m.CompressStream(5)
  const chunks = []
  let offset = 0
  let result
  do {
    result = stream.compress(input.slice(offset), 64)
    chunks.push(result.buf)
    offset += result.input_offset
  } while (result.code === m.BrotliStreamResultCode.NeedsMoreOutput || offset < input.length)
  do {
    result = stream.compress(undefined, 64)
    chunks.push(result.buf)
  } while (result.code === m.BrotliStreamResultCode.NeedsMoreOutput)
  const out = Uint8Array.from(chunks.flatMap((c) => Array.from(c)))
  stream.free()
  return out
}

async function brotliSmoke(m) {
  const input = text()
  const best = m.compress(input)
  const fast = m.compress(input, { quality: 1 })
  const streamed = streamCompress(m, input)
  const inflate = new m.DecompressStream()
  const back = inflate.decompress(streamed, 4096)
  const out = {
    best: [best.length, sha(best)],
    fast: [fast.length, sha(fast)],
    streamed: [streamed.length, sha(streamed)],
    roundTrip: sha(m.decompress(best)) === sha(input) && sha(m.decompress(fast)) === sha(input),
    stream: [back.code, sha(back.buf), inflate.total_out()],
    errors: [
      await errorOf(() => m.decompress(Uint8Array.from([1, 2, 3, 4, 5]))),
      await errorOf(() => new m.DecompressStream().decompress(Uint8Array.from([255, 255, 255, 255]), 100)),
    ],
  }
  inflate.free()
  return out
}
const brotliTrap = (m) => {
  // An output buffer of 2^31 bytes: Vec::with_capacity panics with 'capacity overflow'.
  const stream = new m.CompressStream()
  return stream.compress(text(), 2 ** 31)
}
const brotliStale = { make: (m) => new m.CompressStream(), use: (stream) => stream.compress(text(), 64).code }
const common = {
  name: NAME,
  version: VERSION,
  dir: '.',
  smoke: brotliSmoke,
  trap: brotliTrap,
  fails: "panic: 'capacity overflow' in CompressStream.compress (an output size of 2^31 bytes)",
  stale: brotliStale,
}

export default [
  {
    id: 'brotli-wasm (node)',
    ...common,
    inspect: 'pkg.node',
    layout: 'wasm-pack nodejs in pkg.node/, re-exported by index.node.js',
    load: (ctx) => ctx.require('index.node.js'),
  },
  {
    id: 'brotli-wasm (web)',
    ...common,
    inspect: 'pkg.web',
    layout: 'wasm-pack web in pkg.web/ (no initSync in 0.2.80), loaded with its async init and the .wasm bytes',
    load: async (ctx) => {
      const m = await ctx.import('pkg.web/brotli_wasm.js')
      await m.default(ctx.bytes('pkg.web/brotli_wasm_bg.wasm'))
      return m
    },
  },
]
