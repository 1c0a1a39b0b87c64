// The fault matrix's Node side: the packages every engine runs
// fault-scenario.mjs on, and the checks of what it reports. Each engine's
// test (faults.test.mjs for Node and Deno, bun.test.mjs, workerd.test.mjs,
// the browser suite) runs the scenario its own way and hands the report here.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { FAULTS, START_PANIC_FAULT } from './fault-scenario.mjs'
import { patchFixture, ROOT } from './helpers.mjs'

const OUT = path.join(ROOT, 'fixtures', 'out')

/**
 * The builds of the matrix: the fixture's panic=abort build, its
 * panic=unwind build (modern exception handling; the runtime picks what the
 * engine has), and that one patched reinit-only (`--eh-mode none`). Each
 * with its start-panic twin (feature `start-panic`) for START_PANIC_FAULT.
 */
export const FAULT_BUILDS = [
  { build: 'panic=abort', fixture: 'wbg-0.2.130', startPanic: 'wbg-0.2.130-start-panic', args: [] },
  { build: 'panic=unwind', fixture: 'wbg-0.2.130-unwind-modern', startPanic: 'wbg-0.2.130-start-panic-unwind', args: [] },
  {
    build: 'reinit-only',
    fixture: 'wbg-0.2.130-unwind-modern',
    startPanic: 'wbg-0.2.130-start-panic-unwind',
    args: ['--eh-mode', 'none'],
  },
]

/**
 * The patched packages for `targets`: { build, target, dir, startPanicDir }.
 * A missing fixture fails (fixtures/scripts/build-fixtures.sh makes them).
 */
export function faultPackages(targets) {
  const packages = []
  for (const { build, fixture, startPanic, args } of FAULT_BUILDS) {
    for (const target of targets) {
      const from = path.join(OUT, fixture, target)
      const startFrom = path.join(OUT, startPanic, target)
      for (const dir of [from, startFrom]) assert.ok(fs.existsSync(path.join(dir, 'bricked_bg.wasm')), `fixture ${dir} exists`)
      packages.push({
        build,
        target,
        dir: patchFixture(target, { from, args }),
        startPanicDir: patchFixture(target, { from: startFrom, args }),
      })
    }
  }
  return packages
}

/** The report a fault-runner.mjs process printed: its last line. */
export function reportOf(stdout) {
  return JSON.parse(stdout.trim().split('\n').pop())
}

// Two at a time: the out-of-memory fault spends its time growing memory.
export const RUNNERS_AT_ONCE = 2

/**
 * Runs fault-runner.mjs in `bin` (with `flags`) on one package and
 * resolves with its report; rejects with its stderr when it fails.
 */
export function runFaultRunner(bin, flags, { dir, target, startPanic }) {
  const args = [...flags, path.join(ROOT, '__test__', 'fault-runner.mjs'), dir, target, ...(startPanic ? ['start-panic'] : [])]
  return new Promise((resolve, reject) => {
    execFile(bin, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(bin)} fault-runner.mjs ${target} failed: ${error.message}\n${stderr.slice(-4000)}`))
      else resolve(reportOf(stdout))
    })
  })
}

/**
 * Checks the scenario's report ({ mode, cells }): it has every cell; records
 * them under `engine` for the README's fault matrix, and fails with every
 * failing cell's findings.
 */
export function assertFaultReport(report, { engine, build, target, startPanic, known = {} }) {
  const expected = startPanic ? [START_PANIC_FAULT] : FAULTS
  assert.deepEqual(report.cells.map((c) => c.fault).sort(), [...expected].sort(), 'every fault ran')
  recordFaultCells(engine, build, target, report)
  // `known`: fault -> the one finding that is a known failure of the engine
  // (recorded as failed, reported by the caller, not failing the test).
  const isKnown = (c) => known[c.fault] !== undefined && c.failures.every((f) => known[c.fault].test(f))
  const failing = report.cells.filter((c) => !c.pass && !isKnown(c))
  assert.equal(
    failing.length,
    0,
    `${engine} ${build} ${target} (mode ${report.mode}):\n${failing.map((c) => `  ${c.fault}: ${c.failures.join('; ')}`).join('\n')}`,
  )
  return report.cells.filter((c) => !c.pass && isKnown(c))
}

// One line per cell in the file the engine matrix reads
// (scripts/engine-matrix.mjs), when it is set.
function recordFaultCells(engine, build, target, report) {
  const file = process.env.WASM_UNBRICK_ENGINE_RESULTS
  if (!file) return
  // A cell that failed only the memory checks (an instance held, RSS).
  const memoryOnly = (c) => !c.pass && c.failures.every((f) => /still held after GC|^RSS after GC/.test(f))
  const lines = report.cells.map((c) =>
    JSON.stringify({ kind: 'fault', engine, build, target, mode: report.mode, fault: c.fault, pass: c.pass, memoryOnly: memoryOnly(c) }),
  )
  fs.appendFileSync(file, `${lines.join('\n')}\n`)
}
