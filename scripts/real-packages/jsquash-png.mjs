import { errorOf, sha } from './common.mjs'

// encode.js and decode.js share one wasm-bindgen module (codec/pkg, web
// target); as the README says, in Node the .wasm is passed to init by hand.
// Neither re-exports the glue's other names, so the handle is taken from the
// glue, as a user would import it.
async function load(ctx) {
  const decode = await ctx.import('decode.js')
  const encode = await ctx.import('encode.js')
  await decode.init(ctx.bytes('codec/pkg/squoosh_png_bg.wasm'))
  await encode.init()
  const glue = await ctx.import('codec/pkg/squoosh_png.js')
  return { encode: encode.default, decode: decode.default, __unbrick: glue.__unbrick }
}
const image = (w, h) =>
  new ImageData(
    Uint8ClampedArray.from({ length: w * h * 4 }, (_, i) => (i * 37) % 256),
    w,
    h,
  )

async function pngSmoke(m) {
  const png = await m.encode(image(4, 3))
  const back = await m.decode(png)
  const deep = await m.decode(png, { bitDepth: 16 })
  const out = {
    png: [png.byteLength, sha(new Uint8Array(png))],
    back: [back.width, back.height, sha(back.data)],
    rgba16: [deep.width, deep.height, sha(new Uint8Array(deep.data.buffer))],
    error: await errorOf(() => m.decode(new Uint8Array([1, 2, 3]).buffer)),
  }
  deep.free()
  return out
}
// ImageData claiming 10x10 pixels with 4: encoding reads past the end of the
// pixels (a panic; the module has no panic hook, so no message).
const pngTrap = (m) => m.encode(new ImageData(new Uint8ClampedArray(16), 10, 10))
// decode(..., { bitDepth: 16 }) returns a wasm-bindgen ImageDataRGBA16.
const pngStale = { make: async (m) => m.decode(await m.encode(image(2, 2)), { bitDepth: 16 }), use: (img) => img.width }

export default [
  {
    id: '@jsquash/png',
    name: '@jsquash/png',
    version: '3.1.1',
    dir: '.',
    layout: 'wasm-pack web in codec/pkg, loaded with init(bytes)',
    inspect: 'codec/pkg',
    load,
    smoke: pngSmoke,
    trap: pngTrap,
    fails: 'panic: out-of-range slice in encode (ImageData claims 10x10 pixels, has 4)',
    stale: pngStale,
  },
]
