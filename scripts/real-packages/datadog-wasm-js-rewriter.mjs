import { errorOf } from './common.mjs'

const CSI_METHODS = [{ src: 'plusOperator', operator: true }, { src: 'concat' }, { src: 'trim' }, { src: 'substring' }]
const CODE = "const a = 'x' + b\nfunction f(s) { return s.trim().concat(a, 'lit').substring(1) }\nmodule.exports = f\n"

async function rewriterSmoke(m) {
  const rw = new m.Rewriter({ csiMethods: CSI_METHODS, chainSourceMap: false, literals: true, localVarPrefix: 'unbrick' })
  try {
    return {
      csiMethods: rw.csiMethods(),
      iast: rw.rewrite(CODE, '/app/index.js', ['iast']),
      untouched: rw.rewrite('let x = 1', '/app/plain.js', ['iast']).metrics,
      errors: [await errorOf(() => rw.rewrite('let = =', '/app/bad.js', ['iast']))],
    }
  } finally {
    rw.free()
  }
}

export default [
  {
    id: '@datadog/wasm-js-rewriter',
    name: '@datadog/wasm-js-rewriter',
    version: '5.0.4',
    dir: '.',
    inspect: 'wasm',
    // main.js (the package's entry) wraps this glue but needs js-yaml and other
    // dependencies, which `npm pack` does not bring: the glue is loaded as main.js does.
    layout: 'wasm-pack nodejs in wasm/ (with a snippet), wrapped by main.js',
    load: (ctx) => ctx.require('wasm/wasm_js_rewriter.js'),
    smoke: rewriterSmoke,
    // The orchestrion config is parsed as YAML in the Rewriter's constructor, with an unwrap.
    trap: (m) => new m.Rewriter({ orchestrion: 'not: [yaml' }),
    fails: 'panic: Result::unwrap() on YamlParseError in Rewriter::new (src/lib_wasm.rs:118, malformed orchestrion YAML)',
    stale: { make: (m) => new m.Rewriter({ csiMethods: CSI_METHODS }), use: (rw) => rw.csiMethods() },
  },
]
