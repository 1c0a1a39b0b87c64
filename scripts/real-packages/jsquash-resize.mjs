import { sha } from './common.mjs'

// Three wasm-bindgen modules (web target) in lib/*/pkg, each with its own init;
// index.js polyfills ImageData in Node. As the README says, in Node the .wasm
// files are passed to the init functions by hand. index.js re-exports none of
// the glue's other names, so the handle of the module that traps (the resize
// one) is taken from its glue, as a user would import it.
async function load(ctx) {
  const m = await ctx.import('index.js')
  await m.initResize(ctx.bytes('lib/resize/pkg/squoosh_resize_bg.wasm'))
  await m.initHqx(ctx.bytes('lib/hqx/pkg/squooshhqx_bg.wasm'))
  await m.initMagicKernel(ctx.bytes('lib/magic-kernel/pkg/jsquash_magic_kernel_bg.wasm'))
  const glue = await ctx.import('lib/resize/pkg/squoosh_resize.js')
  return { resize: m.default, __unbrick: glue.__unbrick }
}
const image = (w, h) =>
  new ImageData(
    Uint8ClampedArray.from({ length: w * h * 4 }, (_, i) => (i * 37) % 256),
    w,
    h,
  )

async function resizeSmoke(m) {
  const out = {}
  for (const method of ['triangle', 'catrom', 'mitchell', 'lanczos3', 'hqx', 'magicKernel', 'magicKernelSharp2021']) {
    const r = await m.resize(image(8, 6), { width: 16, height: 12, method })
    out[method] = [r.width, r.height, sha(r.data)]
  }
  const contain = await m.resize(image(8, 6), { width: 5, height: 5, fitMethod: 'contain' })
  out.contain = [contain.width, contain.height, sha(contain.data)]
  return out
}
// ImageData claiming 10x10 pixels with 4: squoosh_resize indexes past the end
// of the input (a panic; this module has no imports, so no panic message).
const resizeTrap = (m) => m.resize(new ImageData(new Uint8ClampedArray(16), 10, 10), { width: 5, height: 5 })

export default [
  {
    id: '@jsquash/resize',
    name: '@jsquash/resize',
    version: '2.1.1',
    dir: '.',
    layout: 'three wasm-pack web packages in lib/*/pkg, loaded with their init(bytes)',
    inspect: 'lib/resize/pkg',
    load,
    smoke: resizeSmoke,
    trap: resizeTrap,
    fails: 'panic: index out of bounds in squoosh_resize (ImageData claims 10x10 pixels, has 4)',
  },
]
