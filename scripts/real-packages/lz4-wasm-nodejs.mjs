import { errorOf, sha } from './common.mjs'

const text = () => new TextEncoder().encode('Hello, wasm-unbrick! A Rust abort never bricks the module. '.repeat(20))

async function lz4Smoke(m) {
  const input = text()
  const packed = m.compress(input)
  return {
    packed: [packed.length, sha(packed)],
    roundTrip: sha(m.decompress(packed)) === sha(input),
    empty: Array.from(m.compress(new Uint8Array(0))),
    errors: [
      // lz4-wasm throws its errors as strings, from a Result.
      await errorOf(() => m.decompress(Uint8Array.from([1, 2, 3, 4, 5]))),
      await errorOf(() => m.decompress(packed.slice(0, packed.length - 3))),
    ],
  }
}

export default [
  {
    id: 'lz4-wasm-nodejs',
    name: 'lz4-wasm-nodejs',
    version: '0.9.2',
    dir: '.',
    layout: 'wasm-pack nodejs',
    load: (ctx) => ctx.require('lz4_wasm_nodejs.js'),
    smoke: lz4Smoke,
    // The 32-bit size prefix claims 4 GiB of output: allocating it panics.
    trap: (m) => m.decompress(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x10, 1])),
    fails: "panic: 'capacity overflow' in decompress (a size prefix of 0xFFFFFFFF bytes)",
  },
]
