import { errorOf, sha } from './common.mjs'

// The package ships no fonts (built without the 'fonts' feature): a document
// with text fails with 'no font could be found', shapes compile.
const SHAPES = '#set page(width: 20pt, height: 20pt, margin: 2pt)\n#rect(width: 10pt, height: 10pt, fill: red)\n'
const MARKUP = '= Hello\n#let f(x) = x * 2\nResult: #f(21) and $x^2$\n'

async function compiler(m) {
  const builder = new m.TypstCompilerBuilder()
  builder.set_dummy_access_model()
  return builder.build()
}
async function typstSmoke(m) {
  const c = await compiler(m)
  try {
    c.add_source('/shapes.typ', SHAPES)
    c.add_source('/markup.typ', MARKUP)
    c.add_source('/bad.typ', '#let x = (1 + ')
    const vector = c.compile('/shapes.typ', null, 'vector', 1)
    return {
      vector: [vector.result.length, sha(vector.result)],
      ast: sha(c.get_ast('/markup.typ')),
      fonts: c.get_loaded_fonts(),
      errors: [
        await errorOf(() => c.compile('/markup.typ', null, 'vector', 1)),
        await errorOf(() => c.compile('/bad.typ', null, 'vector', 1)),
      ],
    }
  } finally {
    c.free()
  }
}
// 5000 nested parentheses: the recursive-descent parser overflows the Rust
// stack, which on wasm32 runs past the bottom of memory (out of bounds).
async function typstTrap(m) {
  const c = await compiler(m)
  c.add_source('/deep.typ', `#${'('.repeat(5000)}1${')'.repeat(5000)}`)
  return c.compile('/deep.typ', null, 'vector', 1)
}
const typstStale = { make: compiler, use: (c) => c.get_loaded_fonts() }

export default [
  {
    id: '@myriaddreamin/typst-ts-web-compiler',
    name: '@myriaddreamin/typst-ts-web-compiler',
    version: '0.7.0',
    dir: '.',
    layout: 'wasm-pack web in pkg/ (typst_ts_web_compiler.mjs), a shim as the entry, loaded with initSync',
    inspect: 'pkg',
    load: async (ctx) => {
      const m = await ctx.import('pkg/wasm-pack-shim.mjs')
      m.initSync({ module: ctx.bytes('pkg/typst_ts_web_compiler_bg.wasm') })
      return m
    },
    smoke: typstSmoke,
    trap: typstTrap,
    fails: 'stack overflow: 5000 nested parentheses in the parser (memory access out of bounds)',
    stale: typstStale,
  },
]
