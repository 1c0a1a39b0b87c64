// Builds the README's engine matrix and fault matrix from test results:
// runs the test suite (scripts/test.mjs) with WASM_UNBRICK_ENGINE_RESULTS
// set, so that every engine test that passed its recovery assertions
// records what it loaded (helpers.mjs recordEngineResult) and every fault
// matrix cell its outcome (fault-matrix.mjs), and rewrites the tables
// between the README's engine and fault markers.
//   node scripts/engine-matrix.mjs [--from results.jsonl] [--check]
//   (--from: render recorded results instead of running the tests;
//    --check: print the table only)
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const README = path.join(ROOT, 'README.md')
const TABLES = [
  { start: '<!-- engines:start -->', end: '<!-- engines:end -->', render: (rows) => render(rows.filter((r) => r.kind === undefined)) },
  {
    start: '<!-- faults:start -->',
    end: '<!-- faults:end -->',
    render: (rows) => renderFaults(rows.filter((r) => r.kind === 'fault')),
  },
]
const FAULT_BUILDS = ['panic=abort', 'panic=unwind', 'reinit-only']
const BUILDS = ['panic=abort', 'panic=unwind modern', 'panic=unwind legacy']
const MODES = ['modern', 'legacy', 'none']
const ENGINE_ORDER = ['Node', 'Deno', 'Bun', 'workerd', 'Miniflare', 'Chromium', 'Firefox']

function parseArgs(argv) {
  const opts = { from: null, check: false }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from') opts.from = argv[++i]
    else if (argv[i] === '--check') opts.check = true
    else {
      console.error(`engine-matrix.mjs: unknown argument ${argv[i]}`)
      process.exit(2)
    }
  }
  return opts
}

function runTests() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-engines-')), 'results.jsonl')
  fs.writeFileSync(file, '')
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'test.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, WASM_UNBRICK_ENGINE_RESULTS: file },
  })
  if (r.status !== 0) console.error('engine-matrix.mjs: some tests failed; their engines show only what passed')
  return file
}

// Engines in a stable order: by kind, then by version.
function engineKey(engine) {
  const kind = ENGINE_ORDER.findIndex((k) => engine.startsWith(k))
  return [kind === -1 ? ENGINE_ORDER.length : kind, engine]
}

function compareEngines(a, b) {
  const [ka, ea] = engineKey(a)
  const [kb, eb] = engineKey(b)
  return ka - kb || ea.localeCompare(eb, 'en', { numeric: true })
}

/** One cell: what auto loaded, then every forced mode that loaded as asked. */
function cell(rows) {
  if (rows.length === 0) return '—'
  const auto = [...new Set(rows.filter((r) => r.asked === 'auto').map((r) => r.loaded))]
  const forced = MODES.filter((m) => rows.some((r) => r.asked === m && r.loaded === m))
  const parts = []
  if (auto.length > 0) parts.push(`auto → **${auto.join(', ')}**`)
  if (forced.length > 0) parts.push(forced.join(', '))
  return parts.join('; ')
}

function render(rows) {
  const engines = [...new Set(rows.map((r) => r.engine))].sort(compareEngines)
  const lines = [`| engine | ${BUILDS.join(' | ')} |`, `|---|${BUILDS.map(() => '---').join('|')}|`]
  for (const engine of engines) {
    const of = rows.filter((r) => r.engine === engine)
    lines.push(`| ${engine} | ${BUILDS.map((b) => cell(of.filter((r) => r.build === b))).join(' | ')} |`)
  }
  return lines.join('\n')
}

/** Per engine and build: cells passed of cells run, the targets, the mode, and the failed faults. */
function renderFaults(rows) {
  const engines = [...new Set(rows.map((r) => r.engine))].sort(compareEngines)
  const lines = [`| engine | targets | ${FAULT_BUILDS.join(' | ')} |`, `|---|---|${FAULT_BUILDS.map(() => '---').join('|')}|`]
  for (const engine of engines) {
    const of = rows.filter((r) => r.engine === engine)
    const targets = [...new Set(of.map((r) => r.target))].join(', ')
    const cells = FAULT_BUILDS.map((build) => {
      const cell = of.filter((r) => r.build === build)
      if (cell.length === 0) return '—'
      const modes = [...new Set(cell.map((r) => r.mode))].join(', ')
      const passed = cell.filter((r) => r.pass).length
      const memory = cell.filter((r) => !r.pass && r.memoryOnly).length
      const failed = [...new Set(cell.filter((r) => !r.pass && !r.memoryOnly).map((r) => `${r.fault} (${r.target})`))]
      const parts = [`${passed}/${cell.length} (${modes})`]
      if (memory > 0) parts.push(`${memory} failed only the memory check`)
      if (failed.length > 0) parts.push(`failed: ${failed.join(', ')}`)
      return parts.join('; ')
    })
    lines.push(`| ${engine} | ${targets} | ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}

const opts = parseArgs(process.argv.slice(2))
const file = opts.from ?? runTests()
const rows = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line))
if (rows.length === 0) {
  console.error('engine-matrix.mjs: no results were recorded')
  process.exit(1)
}
if (opts.check) {
  for (const t of TABLES) console.log(`${t.render(rows)}\n`)
} else {
  let readme = fs.readFileSync(README, 'utf8')
  for (const t of TABLES) {
    const start = readme.indexOf(t.start)
    const end = readme.indexOf(t.end)
    if (start === -1 || end === -1) throw new Error(`README.md has no ${t.start} ... ${t.end} markers`)
    readme = `${readme.slice(0, start + t.start.length)}\n${t.render(rows)}\n${readme.slice(end)}`
  }
  fs.writeFileSync(README, readme)
  console.log(`README.md: engine and fault matrices of ${rows.length} results`)
}
