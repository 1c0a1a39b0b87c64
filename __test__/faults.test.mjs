// The fault matrix on this Node (scripts/test.mjs runs this file on Node
// 20, 22, 24 and 26) and, from the Node 24 run, on Deno: every fault of
// fault-scenario.mjs on the nodejs, web and bundler targets of the
// panic=abort, panic=unwind and reinit-only builds, each package in a
// process of its own (fault-runner.mjs) with the collector exposed, so that
// memory is measured as a program of its own would see it.
import { spawnSync } from 'node:child_process'
import { describe, test } from 'node:test'
import { DENO_BIN } from '../scripts/install-runtimes.mjs'
import { assertFaultReport, faultPackages, RUNNERS_AT_ONCE, runFaultRunner } from './fault-matrix.mjs'
import { NODE_MAJOR, TARGETS } from './helpers.mjs'

// Deno runs the targets it loads as Node does (require through
// node:module, the ES module targets by import).
const DENO_NODE_MAJOR = 24

const engines = [{ engine: `Node ${process.versions.node}`, bin: process.execPath, flags: ['--expose-gc'] }]
if (NODE_MAJOR === DENO_NODE_MAJOR) {
  const version = spawnSync(DENO_BIN, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].split(' ')[1]
  engines.push({ engine: `Deno ${version}`, bin: DENO_BIN, flags: ['run', '--allow-read', '--allow-env', '--v8-flags=--expose-gc'] })
}

const packages = faultPackages(TARGETS)
for (const { engine, bin, flags } of engines) {
  describe(`fault matrix: ${engine}`, { concurrency: RUNNERS_AT_ONCE }, () => {
    for (const { build, target, dir, startPanicDir } of packages) {
      for (const startPanic of [false, true]) {
        test(`${build} ${target}: ${startPanic ? 'a start that panics on re-creation' : 'every fault'}`, async () => {
          const report = await runFaultRunner(bin, flags, { dir: startPanic ? startPanicDir : dir, target, startPanic })
          assertFaultReport(report, { engine, build, target, startPanic })
        })
      }
    }
  })
}
