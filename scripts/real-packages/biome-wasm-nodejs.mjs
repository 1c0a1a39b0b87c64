import { errorOf } from './common.mjs'

const SOURCE = 'const  a = {b:1,"c":[1,2,3]};;\nfunction f(x){ if (x == null) { return 1 } else return 2 }\nlet unused = 1\n'
const CONFIG = {
  formatter: { indentStyle: 'space', indentWidth: 2 },
  javascript: { formatter: { quoteStyle: 'single', semicolons: 'asNeeded' } },
}

function openProject(m) {
  const ws = new m.Workspace()
  const { projectKey } = ws.openProject({ path: '', openUninitialized: true })
  return { ws, projectKey }
}
const openFile = (ws, projectKey, path, content) => ws.openFile({ projectKey, content: { type: 'fromClient', content, version: 0 }, path })

async function biomeSmoke(m) {
  const { ws, projectKey } = openProject(m)
  try {
    const settings = ws.updateSettings({ projectKey, configuration: CONFIG })
    openFile(ws, projectKey, 'main.js', SOURCE)
    const diagnostics = ws.pullDiagnostics({ projectKey, path: 'main.js', categories: ['syntax', 'lint'], pullCodeActions: false })
    const printer = new m.DiagnosticPrinter('main.js', SOURCE)
    printer.print_simple(diagnostics.diagnostics[0])
    return {
      settings,
      formatted: ws.formatFile({ projectKey, path: 'main.js' }).code,
      diagnostics: diagnostics.diagnostics.map((d) => [d.category, d.severity, d.description]),
      printed: printer.finish(),
      errors: [
        await errorOf(() => ws.updateSettings({ projectKey, configuration: { formatter: { indentStyle: 'nope' } } })),
        await errorOf(() => ws.formatFile({ projectKey, path: 'missing.js' })),
        await errorOf(() => ws.formatRange({ projectKey, path: 'main.js', range: [5000, 6000] })),
      ],
    }
  } finally {
    ws.free()
  }
}
// 5,000 nested array literals: Biome's recursive-descent JS parser runs out
// of the engine's call stack inside the Wasm (RangeError from Wasm frames).
function biomeTrap(m) {
  const { ws, projectKey } = openProject(m)
  return openFile(ws, projectKey, 'deep.js', `x = ${'['.repeat(5000)}${']'.repeat(5000)}`)
}
const biomeStale = { make: (m) => openProject(m), use: ({ ws, projectKey }) => openFile(ws, projectKey, 'stale.js', 'x') }

export default [
  {
    id: '@biomejs/wasm-nodejs',
    name: '@biomejs/wasm-nodejs',
    version: '2.5.14',
    dir: '.',
    layout: 'wasm-pack nodejs',
    load: (ctx) => ctx.require('biome_wasm.js'),
    smoke: biomeSmoke,
    trap: biomeTrap,
    fails: 'stack overflow: parse_primary_expression recurses per nesting level; 5,000 nested [ exhaust the call stack in the Wasm',
    stale: biomeStale,
  },
]
