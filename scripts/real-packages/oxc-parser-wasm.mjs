import { errorOf, webTarget } from './common.mjs'

async function oxcSmoke(m) {
  const r = m.parseSync('// hi\nconst a: number = 1 /* c */\nlet b = 10n', { sourceFilename: 'x.ts' })
  try {
    return {
      program: JSON.parse(r.programJson),
      bigint: String(r.program.body[1].declarations[0].init.value),
      comments: r.comments,
      diagnostics: m.parseSync('let = =', {}).errors,
      errors: [await errorOf(() => m.parseSync('x', { sourceType: 5 })), await errorOf(() => m.parseSync('x', 'str'))],
    }
  } finally {
    r.free()
  }
}
const oxcStale = { make: (m) => m.parseSync('let a = 1', {}), use: (r) => r.programJson }
// Documented in parseSync's doc comment: '# Panics * File extension is invalid'.
const oxcTrap = (m) => m.parseSync('x', { sourceFilename: 'foo.txt' })
const oxcFails = "panic: unwrap of SourceType::from_path in parseSync (documented: a sourceFilename whose extension isn't JS/TS)"

export default [
  {
    id: '@oxc-parser/wasm (node)',
    name: '@oxc-parser/wasm',
    version: '0.60.0',
    dir: '.',
    inspect: 'node',
    layout: 'wasm-pack nodejs in node/',
    load: (ctx) => ctx.require('node/oxc_parser_wasm.js'),
    smoke: oxcSmoke,
    trap: oxcTrap,
    fails: oxcFails,
    stale: oxcStale,
  },
  {
    id: '@oxc-parser/wasm (web)',
    name: '@oxc-parser/wasm',
    version: '0.60.0',
    dir: '.',
    inspect: 'web',
    layout: 'wasm-pack web in web/, loaded with initSync',
    load: webTarget('web/oxc_parser_wasm.js', 'web/oxc_parser_wasm_bg.wasm'),
    smoke: oxcSmoke,
    trap: oxcTrap,
    fails: oxcFails,
    stale: oxcStale,
  },
]
