import { errorOf } from './common.mjs'

const DOC = '[package]\nname="x"\nversion =  "1.0"\n[dependencies]\nserde={version="1",features=["derive"]}\n'

// (taplo.encode of truncated JSON such as '{"a":1' never returns: not used.)
// m: { Taplo, taplo (an initialized instance), __unbrick (of the bundled glue) }
const taploSmoke = async ({ taplo }) => ({
  formatted: taplo.format(DOC, { options: { alignEntries: true, reorderKeys: true } }),
  decoded: taplo.decode(DOC),
  json: taplo.decode('a = 1979-05-27T07:32:00Z\nb = inf', false),
  encoded: taplo.encode({ a: 1, b: { c: [1, 2] } }),
  errors: [await errorOf(() => taplo.decode('a = = 1')), await errorOf(() => taplo.encode('null'))],
})

export default [
  {
    id: '@taplo/lib',
    name: '@taplo/lib',
    version: '0.5.0',
    dir: '.',
    inspect: 'dist/index.js',
    layout: 'wasm-bindgen glue bundled (rollup, minified UMD) into dist/index.js, wasm inlined as base64',
    load: async (ctx) => {
      const mod = ctx.require('dist/index.js')
      const taplo = await mod.Taplo.initialize()
      return {
        Taplo: mod.Taplo,
        taplo,
        get __unbrick() {
          return mod.__unbrick
        },
      }
    },
    smoke: taploSmoke,
    // Taplo.format rethrows whatever the Wasm throws as `new Error(e)`, so the
    // abort reaches the caller as an Error whose message names it.
    trap: ({ taplo }) => taplo.format(`a = ${'['.repeat(5000)}${']'.repeat(5000)}`),
    fails:
      'stack overflow: the TOML parser recurses per nesting level; 5,000 nested [ exhaust the call stack in the Wasm' +
      ' (Taplo.format rethrows it as Error("RangeError: Maximum call stack size exceeded"))',
  },
]
