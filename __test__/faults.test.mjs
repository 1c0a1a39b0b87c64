// The fault matrix on this Node (scripts/test.mjs runs this file on Node
// 20, 22, 24 and 26) and, from the Node 24 run, on Deno: every fault of
// fault-scenario.mjs on the nodejs, web and bundler targets of the
// panic=abort, panic=unwind and reinit-only builds, each package in a
// process of its own (fault-runner.mjs) with the collector exposed, so that
// memory is measured as a program of its own would see it.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, test } from 'node:test'
import { DENO_BIN } from '../scripts/install-runtimes.mjs'
import { assertFaultReport, faultPackages, reportOf } from './fault-matrix.mjs'
import { NODE_MAJOR, ROOT, TARGETS } from './helpers.mjs'

const RUNNER = path.join(ROOT, '__test__', 'fault-runner.mjs')
// Deno runs the targets it loads as Node does (require through
// node:module, the ES module targets by import).
const DENO_NODE_MAJOR = 24

function run(bin, args, what) {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 })
  if (r.status !== 0) throw new Error(`${what} exited with ${r.status ?? r.signal ?? r.error?.message}\n${r.stderr.slice(-4000)}`)
  return r.stdout
}

const engines = [{ engine: `Node ${process.versions.node}`, bin: process.execPath, flags: ['--expose-gc'] }]
if (NODE_MAJOR === DENO_NODE_MAJOR) {
  const version = run(DENO_BIN, ['--version'], 'deno --version').split('\n')[0].split(' ')[1]
  engines.push({ engine: `Deno ${version}`, bin: DENO_BIN, flags: ['run', '--allow-read', '--allow-env', '--v8-flags=--expose-gc'] })
}

const packages = faultPackages(TARGETS)
for (const { engine, bin, flags } of engines) {
  describe(`fault matrix: ${engine}`, () => {
    for (const { build, target, dir, startPanicDir } of packages) {
      test(`${build} ${target}: every fault`, () => {
        const stdout = run(bin, [...flags, RUNNER, dir, target], `${engine} fault-runner.mjs ${build} ${target}`)
        assertFaultReport(reportOf(stdout), { engine, build, target, startPanic: false })
      })
      test(`${build} ${target}: a start that panics on re-creation`, () => {
        const stdout = run(bin, [...flags, RUNNER, startPanicDir, target, 'start-panic'], `${engine} ${build} ${target} start-panic`)
        assertFaultReport(reportOf(stdout), { engine, build, target, startPanic: true })
      })
    }
  })
}
