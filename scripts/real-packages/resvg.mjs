import { errorOf, sha } from './common.mjs'

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="24">' +
  '<rect x="2" y="3" width="20" height="10" fill="#c33"/>' +
  '<circle cx="20" cy="14" r="7" fill="rgba(0,80,200,0.6)"/></svg>'

async function resvgSmoke(m) {
  const resvg = new m.Resvg(SVG, { fitTo: { mode: 'width', value: 64 } })
  const image = resvg.render()
  const out = { size: [resvg.width, resvg.height, image.width, image.height], png: sha(image.asPng()) }
  return { ...out, error: await errorOf(() => new m.Resvg('<not svg')) }
}
// A 100,000 x 100,000 px canvas: the 40 GB pixmap exceeds what wasm32 can allocate and render() aborts.
const resvgTrap = (m) => new m.Resvg(SVG.replace('width="32" height="24"', 'width="100000" height="100000"')).render()
const resvgStale = { make: (m) => new m.Resvg(SVG), use: (r) => r.render() }

export default [
  {
    id: '@resvg/resvg-wasm (cjs)',
    layout: 'web glue bundled as CommonJS into index.js, wasm beside, initWasm(bytes)',
    fails: 'abort: render() of a 100,000 x 100,000 px SVG, a pixmap over the 2 GB Wasm limit (unreachable)',
    name: '@resvg/resvg-wasm',
    version: '2.6.2',
    dir: '.',
    load: async (ctx) => {
      const m = ctx.require('index.js')
      await m.initWasm(ctx.bytes('index_bg.wasm'))
      return m
    },
    smoke: resvgSmoke,
    trap: resvgTrap,
    stale: resvgStale,
  },
  {
    id: '@resvg/resvg-wasm (esm)',
    layout: 'web glue bundled into index.mjs, wasm beside, initWasm(bytes)',
    fails: 'abort: render() of a 100,000 x 100,000 px SVG, a pixmap over the 2 GB Wasm limit (unreachable)',
    name: '@resvg/resvg-wasm',
    version: '2.6.2',
    dir: '.',
    inspect: 'index.mjs',
    load: async (ctx) => {
      const m = await ctx.import('index.mjs')
      await m.initWasm(ctx.bytes('index_bg.wasm'))
      return m
    },
    smoke: resvgSmoke,
    trap: resvgTrap,
    stale: resvgStale,
  },
]
