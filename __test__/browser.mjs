// Headless Chromium for the browser tests (and scripts/test-real-browser.mjs):
// Debian's chromium driven by playwright-core, and a static server on
// 127.0.0.1 that serves directories by URL prefix with the content types
// the glue needs (application/wasm for instantiateStreaming).
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
]
export const TYPES = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.html': 'text/html',
  '.ts': 'text/plain',
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
}

/** Answers with the file, or 404 where `file` is not a file. */
export function sendFile(res, file) {
  if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' })
    res.end('not found')
    return
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' })
  fs.createReadStream(file).pipe(res)
}

/** An HTTP server on a free port of 127.0.0.1: resolves with { server, base }. */
export function listen(handler) {
  const server = http.createServer(handler)
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}` }))
  })
}

/**
 * Serves `/<prefix>/<path>` from `roots[prefix]` (roots may gain entries
 * later) and a blank page at `/`; records every path requested.
 */
export async function serve(roots) {
  const requests = []
  const site = await listen((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1')
    requests.push(url.pathname)
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!doctype html><meta charset="utf-8"><title>wasm-unbrick</title><body>wasm-unbrick test page</body>')
      return
    }
    const [, prefix, ...rest] = url.pathname.split('/')
    const root = roots[prefix]
    const file = root && path.resolve(root, ...rest.map(decodeURIComponent))
    sendFile(res, file?.startsWith(root + path.sep) ? file : null)
  })
  return { ...site, requests }
}

/**
 * Runs `exports[fn](...args)` of the ES module at `moduleUrl` in the page
 * (`where` 'main') or in a dedicated module worker it starts ('worker');
 * resolves with its JSON result.
 */
export function runIn(page, where, moduleUrl, fn, args) {
  return page.evaluate(
    async ({ where, moduleUrl, fn, args, runner }) => {
      if (where === 'main') return (await import(moduleUrl))[fn](...args)
      const worker = new Worker(runner, { type: 'module' })
      try {
        const reply = await new Promise((resolve, reject) => {
          worker.onmessage = (e) => resolve(e.data)
          worker.onerror = (e) => reject(new Error(`worker: ${e.message}`))
          worker.postMessage({ moduleUrl, fn, args })
        })
        if (reply.error !== undefined) throw new Error(`in the worker: ${reply.error}`)
        return reply.result
      } finally {
        worker.terminate()
      }
    },
    { where, moduleUrl, fn, args, runner: new URL('worker-runner.mjs', moduleUrl).href },
  )
}
