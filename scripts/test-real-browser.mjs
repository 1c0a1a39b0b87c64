#!/usr/bin/env node
// Public web-target packages in headless Chromium, on the main thread and in
// a dedicated worker: two of them over 8 MB, the size above which Chromium's
// main thread refuses synchronous instantiation.
//
//   node scripts/test-real-browser.mjs      (npm run test:real:browser; downloads, so not in CI)
//
// Each package is fetched by exact version (npm pack, cached in .cache/real/),
// a copy is patched with the CLI, and both are loaded as their READMEs say
// (`await init()`). The unpatched and the patched copy must start and give
// the same smoke result; the patched one is then terminated and must give
// the same result again once `__unbrick.ready` resolves, and refuse an
// object of the dead instance. Prints a table with the times and last a
// line `real-browser: N passed, M failed`.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { launchChromium, runIn, serve } from '../__test__/browser.mjs'
import { fetchPackage } from './npm-package.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CLI = path.join(ROOT, 'bin', 'wasm-unbrick.js')

const PACKAGES = [
  { kind: 'resvg', name: '@resvg/resvg-wasm', version: '2.6.2', entry: 'index.mjs', wasm: 'index_bg.wasm' },
  { kind: 'ruff', name: '@astral-sh/ruff-wasm-web', version: '0.16.9', entry: 'ruff_wasm.js', wasm: 'ruff_wasm_bg.wasm' },
  { kind: 'biome', name: '@biomejs/wasm-web', version: '2.4.15', entry: 'biome_wasm.js', wasm: 'biome_wasm_bg.wasm' },
]
const RUNS = ['main', 'worker'].flatMap((where) => ['lazy', 'eager'].map((policy) => ({ where, policy })))

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)
const MiB = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`

function check(plain, patched, where) {
  const problems = []
  if (plain.init !== 'ok') problems.push(`unpatched init: ${JSON.stringify(plain.init)}`)
  if (patched.init !== 'ok') return [...problems, `patched init: ${JSON.stringify(patched.init)}`]
  if (!same(plain.smoke, patched.smoke)) problems.push(`smoke differs: ${JSON.stringify(plain.smoke)} vs ${JSON.stringify(patched.smoke)}`)
  if (patched.smoke.error) problems.push(`patched smoke: ${JSON.stringify(patched.smoke.error)}`)
  const first = patched.firstCall
  const inProgress = first.error?.name === 'WasmAbortError' && /being created asynchronously/.test(first.error.message)
  if (!(same(first, plain.smoke) || (where === 'main' && inProgress))) problems.push(`first call after the abort: ${JSON.stringify(first)}`)
  if (patched.readyGeneration !== 1) problems.push(`ready resolved with ${patched.readyGeneration}`)
  if (!same(patched.again, plain.smoke)) problems.push(`after recovery: ${JSON.stringify(patched.again)}`)
  if (patched.stale !== 'StaleHandleError') problems.push(`object of the dead instance: ${patched.stale}`)
  if (patched.stats.reinits !== 1 || patched.stats.reinitFailures !== 0) problems.push(`stats: ${JSON.stringify(patched.stats)}`)
  return problems
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-real-browser-'))
  const roots = { t: path.join(ROOT, '__test__') }
  const site = await serve(roots)
  const browser = await launchChromium()
  const rows = []
  try {
    for (const spec of PACKAGES) {
      const original = fetchPackage(spec.name, spec.version)
      const copy = path.join(tmp, spec.kind)
      fs.cpSync(original, copy, { recursive: true })
      const r = spawnSync(process.execPath, [CLI, copy], { encoding: 'utf8' })
      if (r.status !== 0) {
        rows.push({ spec, problems: [`wasm-unbrick exited with ${r.status}: ${(r.stderr || r.stdout).trim()}`] })
        continue
      }
      roots[`plain-${spec.kind}`] = original
      roots[`patched-${spec.kind}`] = copy
      for (const { where, policy } of RUNS) {
        const context = await browser.newContext()
        const page = await context.newPage()
        const pageErrors = []
        page.on('pageerror', (e) => pageErrors.push(String(e)))
        await page.goto(`${site.base}/`)
        const scenario = `${site.base}/t/real-web-scenario.mjs`
        const dir = (prefix) => `${site.base}/${prefix}-${spec.kind}`
        let plain
        let patched
        let problems
        try {
          plain = await runIn(page, where, scenario, 'run', [spec.kind, dir('plain'), spec.entry])
          patched = await runIn(page, where, scenario, 'run', [spec.kind, dir('patched'), spec.entry, policy])
          problems = [...check(plain, patched, where), ...pageErrors.map((e) => `page error: ${e}`)]
        } catch (e) {
          problems = [`${e.message.split('\n')[0]}`]
        }
        await context.close()
        rows.push({ spec, where, policy, plain, patched, problems })
        console.log(`  ${problems.length ? 'FAIL' : 'pass'} ${spec.name}@${spec.version} ${where} ${policy}`)
      }
    }
  } finally {
    await browser.close()
    site.server.close()
    fs.rmSync(tmp, { recursive: true, force: true })
  }

  console.log('')
  console.log('| package | Wasm | thread | policy | init unpatched | init patched | first call after abort | recovery |')
  console.log('|---|---|---|---|---|---|---|---|')
  for (const { spec, where, policy, plain, patched } of rows) {
    if (!patched) continue
    const size = MiB(fs.statSync(path.join(fetchPackage(spec.name, spec.version), spec.wasm)).size)
    const first = patched.firstCall?.error ? 'WasmAbortError (recovering)' : 'works'
    const ms = (x) => (typeof x === 'number' ? `${x.toFixed(1)} ms` : '-')
    console.log(
      `| ${spec.name} ${spec.version} | ${size} | ${where} | ${policy} | ${ms(plain?.initMs)} | ${ms(patched.initMs)} | ${first} | ${ms(patched.recoveryMs)} |`,
    )
  }
  console.log('')
  for (const r of rows) for (const p of r.problems) console.log(`FAIL ${r.spec.name} ${r.where ?? ''} ${r.policy ?? ''}: ${p}`)
  const failed = rows.filter((r) => r.problems.length).length
  console.log(`real-browser: ${rows.length - failed} passed, ${failed} failed`)
  process.exitCode = failed ? 1 : 0
}

await main()
