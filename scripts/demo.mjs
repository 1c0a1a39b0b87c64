// The "bricked module recovers" demo: the fixture crate's wasm-bindgen
// output breaks for good after a panic; patched by the CLI, it recovers.
//   npm run demo
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixture = path.join(root, 'fixtures/out/wbg-0.2.130/nodejs')
const require = createRequire(import.meta.url)
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-demo-'))
const plainDir = path.join(work, 'unpatched')
const patchedDir = path.join(work, 'patched')
fs.cpSync(fixture, plainDir, { recursive: true })
fs.cpSync(fixture, patchedDir, { recursive: true })

const quietPanics = () => {
  const e = console.error
  console.error = () => {}
  return () => {
    console.error = e
  }
}
function attempt(label, f) {
  try {
    const value = f()
    console.log(`  ${label.padEnd(40)} -> ${typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)}`)
  } catch (e) {
    const first = String(e.message).split('\n')[0]
    console.log(`  ${label.padEnd(40)} !! ${e.name}: ${first.length > 100 ? `${first.slice(0, 97)}...` : first}`)
  }
}

function scenario(m) {
  const restore = quietPanics()
  try {
    attempt('bump()', () => m.bump())
    const acc = new m.Accumulator(10n)
    attempt('acc = new Accumulator(10n); acc.add(5n)', () => acc.add(5n))
    attempt('panic_while_borrowed()', () => m.panic_while_borrowed())
    attempt('bump()', () => m.bump())
    attempt('bump()', () => m.bump())
    attempt('greet("world")', () => m.greet('world'))
    attempt('acc.add(1n)', () => acc.add(1n))
    attempt('new Accumulator(1n).add(2n)', () => new m.Accumulator(1n).add(2n))
  } finally {
    restore()
  }
}

console.log('wasm-unbrick demo: wasm-bindgen 0.2.130 output of fixtures/crates/bricked (panic=abort)\n')
console.log('1. Unpatched: the panic leaves a RefCell borrowed; the module is bricked.')
scenario(require(path.join(plainDir, 'bricked.js')))

console.log(`\n2. Patching a copy:  wasm-unbrick ${path.relative(root, fixture)} --out-dir <tmp>`)
fs.rmSync(patchedDir, { recursive: true })
const cli = execFileSync(
  process.execPath,
  [path.join(root, 'bin/wasm-unbrick.js'), path.relative(process.cwd(), fixture), '--out-dir', patchedDir],
  { encoding: 'utf8' },
)
console.log(
  cli
    .trimEnd()
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n'),
)

console.log('\n3. Patched: the failing call throws WasmAbortError, the next call gets a fresh instance.')
const patched = require(path.join(patchedDir, 'bricked.js'))
patched.__unbrick.onAbort((e) =>
  console.log(`     [onAbort] generation ${e.generation} aborted: ${e.panicMessage?.split('\n')[1] ?? e.cause}`),
)
patched.__unbrick.onReinit((g) => console.log(`     [onReinit] generation ${g} is live`))
scenario(patched)
const { generation, state, stats } = patched.__unbrick
console.log(
  `\n  __unbrick: generation ${generation}, state ${state}, aborts ${stats.aborts}, reinits ${stats.reinits}, stale handles refused ${stats.staleRejected}`,
)

fs.rmSync(work, { recursive: true, force: true })
