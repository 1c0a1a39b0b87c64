#!/usr/bin/env node
// Recovery latency of a module over 8 MB in a browser, with and without the
// standby instance (`--standby`): the web target of the `large` fixture
// (fixtures/out/wbg-0.2.130-large), patched twice, on the main thread and in
// a dedicated worker of headless Chromium (Firefox ESR too with --firefox).
// Chromium's main thread refuses a synchronous instance of a module that
// large: without a standby the first call after the abort throws
// WasmAbortError and the successor is made asynchronously; with one, the
// spare is swapped in on that call.
//
// Each measurement is a fresh page (a browser context of its own): init,
// wait for the spare (`__unbrick.standbyReady`), one genuine trap
// (panic_while_borrowed()), then bump(), timed alone with performance.now();
// where it throws, `await __unbrick.ready` and bump() again, timed from the
// first call. The pages are served cross-origin isolated (COOP and COEP), so
// performance.now() has its finer resolution. Cells alternate (standby off,
// on) within each round.
//
//   node scripts/bench-standby-browser.mjs [--rounds=N] [--firefox]
// Prints figures; nothing here is asserted.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ENGINES, listen, openBrowser, runIn, sendFile } from '../__test__/browser.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CLI = path.join(ROOT, 'bin', 'wasm-unbrick.js')
const LARGE = path.join(ROOT, 'fixtures', 'out', 'wbg-0.2.130-large', 'web')
const THREADS = { main: 'main thread', worker: 'dedicated worker' }

const args = process.argv.slice(2)
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 7)
const engines = [ENGINES.chromium, ...(args.includes('--firefox') ? [ENGINES.firefox] : [])]

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (x) => (x >= 1 ? `${x.toFixed(2)} ms` : `${(x * 1000).toFixed(0)} µs`)
const spread = (xs) => `${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})`

/** What the first call after the abort did, in a few words. */
function outcome(first) {
  if (first.error === undefined) return `returned ${first.value}`
  const async = /being created asynchronously/.test(first.error.message) ? ' (successor being created asynchronously)' : ''
  return `threw ${first.error.name}${async}`
}

/** Serves /t/ (__test__) and /<prefix>/ of `roots`, and a blank page at /, cross-origin isolated. */
function isolatedSite(roots) {
  return listen((req, res) => {
    res.setHeader('cross-origin-opener-policy', 'same-origin')
    res.setHeader('cross-origin-embedder-policy', 'require-corp')
    const url = new URL(req.url, 'http://127.0.0.1')
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!doctype html><meta charset="utf-8"><title>wasm-unbrick</title><body>bench-standby-browser</body>')
      return
    }
    const [, prefix, ...rest] = url.pathname.split('/')
    const root = roots[prefix]
    const file = root && path.resolve(root, ...rest.map(decodeURIComponent))
    sendFile(res, file?.startsWith(root + path.sep) ? file : null)
  })
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-bench-standby-browser-'))
const roots = { t: path.join(ROOT, '__test__') }
for (const standby of [false, true]) {
  const dir = path.join(tmp, standby ? 'on' : 'off')
  execFileSync(process.execPath, [CLI, LARGE, '--out-dir', dir, ...(standby ? ['--standby'] : [])], { stdio: 'ignore' })
  roots[standby ? 'on' : 'off'] = dir
}
const site = await isolatedSite(roots)
const size = fs.statSync(path.join(LARGE, 'bricked_bg.wasm')).size
try {
  for (const engine of engines) {
    const browser = await openBrowser(engine)
    try {
      const runs = Object.fromEntries(Object.keys(THREADS).flatMap((where) => ['off', 'on'].map((s) => [`${where} ${s}`, []])))
      for (let r = 0; r < rounds; r++) {
        for (const where of Object.keys(THREADS)) {
          for (const standby of ['off', 'on']) {
            const page = await browser.newPage()
            try {
              await page.goto(`${site.base}/index.html`)
              const out = await runIn(page, where, `${site.base}/t/large-scenario.mjs`, 'standbyScenario', [
                `${site.base}/${standby}/bricked.js`,
                1,
              ])
              const [round] = out.rounds
              const used = round.afterFirstCall.standbyUsed
              if (out.standby !== (standby === 'on') || used !== Number(out.standby) || round.counter !== 1 || round.generation !== 1) {
                throw new Error(`${where}, standby ${standby}: not recovered: ${JSON.stringify(out)}`)
              }
              runs[`${where} ${standby}`].push({ ...round, isolated: out.crossOriginIsolated })
            } finally {
              await page.close()
            }
          }
        }
      }
      console.log(
        `\n${engine.name} ${browser.version.replace(/^\D*\//, '')}: first call after a trap, large fixture (${(size / 2 ** 20).toFixed(1)} MiB), ` +
          `${rounds} fresh pages per cell, median (range)`,
      )
      console.log('| thread | standby | the first call | its time | until a call works |')
      console.log('|---|---|---|---|---|')
      for (const where of Object.keys(THREADS)) {
        for (const standby of ['off', 'on']) {
          const rs = runs[`${where} ${standby}`]
          const outcomes = [...new Set(rs.map((x) => outcome(x.firstCall)))].join('; ')
          const cell = `| ${THREADS[where]} | ${standby} | ${outcomes} | ${spread(rs.map((x) => x.firstCallMs))} | `
          console.log(`${cell}${spread(rs.map((x) => x.recoveredMs))} |`)
        }
      }
      const isolated = Object.values(runs)
        .flat()
        .every((x) => x.isolated)
      if (!isolated) console.log('(not every page was cross-origin isolated: performance.now() had its coarse resolution there)')
    } finally {
      await browser.close()
    }
  }
} finally {
  site.server.close()
  fs.rmSync(tmp, { recursive: true, force: true })
}
