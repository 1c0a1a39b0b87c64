import zlib from 'node:zlib'
import { errorOf, sha } from './common.mjs'

// optimise.js imports the wasm-feature-detect dependency (not in the tarball),
// so the spec loads the single-threaded wasm-bindgen module that optimise.js
// picks in Node (codec/pkg, web target) and passes it the .wasm, as init(...)
// does. codec/pkg-parallel (wasm-bindgen-rayon, shared memory) is for Workers.
async function load(ctx) {
  const m = await ctx.import('codec/pkg/squoosh_oxipng.js')
  await m.default(ctx.bytes('codec/pkg/squoosh_oxipng_bg.wasm'))
  return m
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes) {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
// A PNG whose header says width x height RGBA8, with a tiny IDAT.
function pngHeader(width, height) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 6
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])
  const idat = zlib.deflateSync(Buffer.alloc(10))
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]))
}

async function oxipngSmoke(m) {
  const raw = Uint8ClampedArray.from({ length: 8 * 8 * 4 }, (_, i) => (i * 37) % 256)
  const png = m.optimise_raw(raw, 8, 8, 2, false, false)
  const again = m.optimise(png, 3, true, true)
  return {
    png: [png.length, sha(png)],
    again: [again.length, sha(again)],
    errors: [
      await errorOf(() => m.optimise(new Uint8Array([1, 2, 3]), 2, false, false)),
      await errorOf(() => m.optimise_raw(new Uint8ClampedArray(16), 10, 10, 2, false, false)),
    ],
  }
}
// A PNG header claiming 30000x30000 RGBA: the decoder sizes its buffer from it,
// 3.6 GB > isize::MAX on wasm32, and Vec::with_capacity panics (capacity overflow).
const oxipngTrap = (m) => m.optimise(pngHeader(30000, 30000), 2, false, false)

export default [
  {
    id: '@jsquash/oxipng',
    name: '@jsquash/oxipng',
    version: '2.3.0',
    dir: '.',
    layout: 'wasm-pack web in codec/pkg (and a rayon build in codec/pkg-parallel), loaded with init(bytes)',
    inspect: 'codec/pkg',
    load,
    smoke: oxipngSmoke,
    trap: oxipngTrap,
    fails: 'panic: capacity overflow decoding a PNG whose IHDR claims 30000x30000 RGBA (3.6 GB buffer)',
  },
]
