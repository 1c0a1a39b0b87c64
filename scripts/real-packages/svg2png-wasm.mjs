import { errorOf, sha } from './common.mjs'

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="24">' +
  '<rect x="2" y="3" width="20" height="10" fill="#c33"/>' +
  '<circle cx="20" cy="14" r="7" fill="rgba(0,80,200,0.6)"/></svg>'
// An feOffset by 1e30 px: tiny-skia's Size::from_wh(...).unwrap() on a
// non-finite size, a panic ('called `Option::unwrap()` on a `None` value').
const OFFSET_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16">' +
  '<filter id="f"><feOffset dx="1e30" dy="1e30"/></filter><rect width="10" height="10" filter="url(#f)"/></svg>'

async function svg2pngSmoke(m) {
  const png = await m.svg2png(SVG, { scale: 2, backgroundColor: 'white' })
  const convert = m.createSvg2png()
  try {
    const sized = await convert(SVG, { width: 64, height: 48 })
    return {
      png: [png.length, sha(png)],
      sized: [sized.length, sha(sized)],
      fonts: convert.getLoadedFontFamilies(),
      errors: [await errorOf(() => m.svg2png('<not svg')), await errorOf(() => m.svg2png(SVG, { width: 0 }))],
    }
  } finally {
    convert.dispose()
  }
}
// Through createSvg2png, not svg2png: svg2png's finally { dispose() } would
// replace the abort by the error of freeing the converter.
const svg2pngTrap = (m) => m.createSvg2png()(OFFSET_SVG)
const svg2pngStale = { make: (m) => m.createSvg2png(), use: (convert) => convert(SVG) }

const common = {
  name: 'svg2png-wasm',
  version: '1.4.1',
  dir: '.',
  smoke: svg2pngSmoke,
  trap: svg2pngTrap,
  fails: 'panic: Option::unwrap() on None in tiny-skia-path size.rs (feOffset by 1e30)',
  stale: svg2pngStale,
}

export default [
  {
    ...common,
    id: 'svg2png-wasm (esm)',
    layout: 'bundled (esbuild) into dist/index.mjs, wasm at the package root',
    inspect: 'dist/index.mjs',
    load: async (ctx) => {
      const m = await ctx.import('dist/index.mjs')
      await m.initialize(ctx.bytes('svg2png_wasm_bg.wasm'))
      return m
    },
  },
  {
    ...common,
    id: 'svg2png-wasm (cjs)',
    layout: 'bundled (esbuild) into dist/index.cjs, wasm at the package root',
    inspect: 'dist/index.cjs',
    load: async (ctx) => {
      const m = ctx.require('dist/index.cjs')
      await m.initialize(ctx.bytes('svg2png_wasm_bg.wasm'))
      return m
    },
  },
]
