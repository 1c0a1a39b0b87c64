// Run by Bun (from bun.test.mjs) on one package directory, patched or not:
//   bun __test__/bun-runner.mjs <task> <package dir> <start> [trigger name]
// <start> is how the package is started:
//   import    the entry alone (nodejs and bundler targets)
//   web       web target, the default async init (which fetches its .wasm)
//   web-sync  web target, initSync with the bytes of the .wasm file the
//             runtime chose (__unbrick.wasmFile), or bricked_bg.wasm unpatched
// <task> is what runs on it, each reusing the scenario the other engines run:
//   start     only start it: { started, add, mode } or { started: false, error }
//   plain     browser-scenario.mjs's normal results (unpatched packages)
//   scenario  browser-scenario.mjs's abort-and-recover scenario
//   eh        eh-scenario.mjs's scenario, with the probed EH support
//   trigger   one of helpers.mjs's TRIGGERS on the patched package
//   bricked   the same trigger on the unpatched package, then bump()
//   checkpoint  checkpoint-scenario.mjs's scenario (patched with --rollback
//             checkpoint)
// Prints one JSON line (bigints as "<n>n"), with `engine` what Bun has.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describeError, plain, scenario } from './browser-scenario.mjs'
import { checkpointScenario } from './checkpoint-scenario.mjs'
import { inPage } from './eh-scenario.mjs'
import { TRIGGERS } from './helpers.mjs'
import { normalResults, withConsoleError } from './normal-calls.mjs'

const [task, dir, start, triggerName] = process.argv.slice(2)
const url = pathToFileURL(path.join(dir, 'bricked.js')).href

// The scenarios import `url` themselves and init the web target when told
// 'web'; a package this file started already is handed on as 'started'
// (the same URL gives the same, started, module).
async function started() {
  const m = await import(url)
  if (start === 'web-sync') {
    const file = m.__unbrick ? m.__unbrick.wasmFile('bricked_bg.wasm') : 'bricked_bg.wasm'
    m.initSync({ module: fs.readFileSync(path.join(dir, file)) })
    return { m, kind: 'started', wasmFile: file }
  }
  if (start === 'web') return { m, kind: 'web' }
  if (start === 'import') return { m, kind: 'started' }
  throw new Error(`bun-runner: unknown start ${start}`)
}

function outcome(f) {
  try {
    const v = f()
    return { value: typeof v === 'bigint' ? `${v}n` : v }
  } catch (e) {
    return { error: e?.name }
  }
}

function triggerNamed(name) {
  const trigger = TRIGGERS.find((t) => t.name === name)
  if (!trigger) throw new Error(`bun-runner: no trigger ${name}`)
  return trigger
}

// What bricked.test.mjs asserts of a patched module around one trigger.
async function patchedTrigger(m, trigger) {
  const u = m.__unbrick
  const out = { start: { generation: u.generation, state: u.state, mode: u.mode, policy: u.policy } }
  out.bumps = [m.bump(), m.bump()]
  const acc = new m.Accumulator(10n)
  acc.add(5n)
  const snap = acc.snapshot()
  const bumper = m.make_bumper()
  out.bumperBefore = bumper()
  const ctx = trigger.setup ? trigger.setup(m) : undefined
  const aborts = []
  const reinits = []
  u.onAbort((e) => aborts.push(e))
  u.onReinit((g) => reinits.push(g))

  const r = withConsoleError(() => trigger.fire(m, ctx))
  out.threw = r.threw
  out.error = r.error === undefined ? null : { ...describeError(r.error, u), causeIsError: r.error?.cause instanceof Error }
  out.panicLogged = trigger.panic !== null && r.logs.some((l) => l.includes(trigger.panic))
  out.afterAbort = { state: u.state, generation: u.generation, aborts: aborts.length, same: aborts[0] === r.error, reinits: reinits.length }

  out.counterAfter = m.counter()
  out.revived = { state: u.state, generation: u.generation, reinits: [...reinits], statsReinits: u.stats.reinits }
  out.stale = {
    total: outcome(() => acc.total),
    add: outcome(() => acc.add(1n)),
    snapshot: outcome(() => acc.snapshot()),
    snapTotal: outcome(() => snap.total),
    snapEntries: outcome(() => snap.entries),
    closure: outcome(() => bumper()),
    ctx: ctx === undefined ? null : outcome(() => ctx.total),
  }
  acc.free()
  snap.free()
  ctx?.free()
  out.counterAfterStale = m.counter()
  let last = 0
  for (let i = 0; i < 1000; i++) last = m.bump()
  out.lastBump = last
  out.normal = await normalResults(m)
  out.end = { generation: u.generation, state: u.state, aborts: u.stats.aborts }
  return out
}

async function run() {
  if (task === 'start') {
    try {
      const { m, kind } = await started()
      if (kind === 'web') await m.default()
      return { started: true, add: m.add(2, 3), mode: m.__unbrick?.mode ?? null }
    } catch (e) {
      return { started: false, error: { name: e?.name, message: String(e?.message) } }
    }
  }
  const { m, kind, wasmFile } = await started()
  if (task === 'plain') return plain(url, kind)
  if (task === 'scenario') return scenario(url, kind)
  if (task === 'eh') return { ...(await inPage(url, kind)), wasmFile }
  if (kind === 'web') await m.default()
  if (task === 'checkpoint') return checkpointScenario(m)
  const trigger = triggerNamed(triggerName)
  if (task === 'trigger') return patchedTrigger(m, trigger)
  if (task === 'bricked') {
    // TRIGGERS' own checks match V8's messages; JavaScriptCore words its
    // traps otherwise, so the next call's error is handed back as it is.
    const ctx = trigger.setup ? trigger.setup(m) : undefined
    const r = withConsoleError(() => trigger.fire(m, ctx))
    const after = withConsoleError(() => m.bump())
    return {
      threw: r.threw,
      error: r.error?.name,
      panicLogged: trigger.panic !== null && r.logs.some((l) => l.includes(trigger.panic)),
      after: after.threw ? `${after.error?.name}: ${after.error?.message}` : { value: after.value },
    }
  }
  throw new Error(`bun-runner: unknown task ${task}`)
}

const out = await run()
const engine = { bun: process.versions.bun, jsTag: WebAssembly.JSTag !== undefined }
console.log(JSON.stringify({ ...out, engine }, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)))
