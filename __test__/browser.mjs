// Headless browsers for the browser tests (and scripts/test-real-browser.mjs):
// Debian's chromium driven by playwright-core, Debian's firefox-esr driven by
// puppeteer-core over WebDriver BiDi, one interface over both (openBrowser),
// what the tests expect of each engine (ENGINES), and a static server on
// 127.0.0.1 that serves directories by URL prefix with the content types the
// glue needs (application/wasm for instantiateStreaming).
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
  // gc(), for the fault matrix's memory checks.
  '--js-flags=--expose-gc',
]
export const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr'
// On top of what puppeteer-core and Firefox's remote agent already set for
// automation: no update, telemetry, experiment, captive-portal, push,
// remote-settings, DNS-over-HTTPS or certificate-revocation traffic. Whatever
// still goes out is caught by the sink proxy of openBrowser.
export const FIREFOX_PREFS = {
  'app.update.auto': false,
  'app.update.enabled': false,
  'app.normandy.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'browser.discovery.enabled': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.ping-centre.telemetry': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.topsites.contile.enabled': false,
  'captivedetect.canonicalURL': '',
  'datareporting.usage.uploadEnabled': false,
  'dom.push.connection.enabled': false,
  'dom.push.serverURL': '',
  'extensions.blocklist.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.systemAddon.update.url': '',
  'geo.provider.network.url': '',
  'identity.fxaccounts.enabled': false,
  'media.gmp-gmpopenh264.enabled': false,
  'media.gmp-widevinecdm.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.predictor.enabled': false,
  'network.prefetch-next': false,
  'network.trr.mode': 5,
  'security.OCSP.enabled': 0,
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.unified': false,
}
export const TYPES = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.html': 'text/html',
  '.ts': 'text/plain',
}

/** playwright-core's Browser on Debian's chromium; `proxy` (host:port) takes all but loopback traffic. */
export async function launchChromium({ proxy } = {}) {
  const { chromium } = await import('playwright-core')
  const args = proxy ? [...CHROMIUM_ARGS, `--proxy-server=http://${proxy}`] : CHROMIUM_ARGS
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args })
}

/** puppeteer-core's Browser on Debian's firefox-esr (WebDriver BiDi); `proxy` as for launchChromium, `prefs` on top of FIREFOX_PREFS. */
export async function launchFirefox({ proxy, prefs: extra = {} } = {}) {
  const { default: puppeteer } = await import('puppeteer-core')
  const prefs = { ...FIREFOX_PREFS, ...extra }
  if (proxy) {
    const [host, port] = proxy.split(':')
    // Every protocol through the HTTP proxy; 127.0.0.1 and localhost are
    // never proxied (network.proxy.allow_hijacking_localhost is false).
    Object.assign(prefs, {
      'network.proxy.type': 1,
      'network.proxy.http': host,
      'network.proxy.http_port': Number(port),
      'network.proxy.share_proxy_settings': true,
      'network.proxy.ssl': host,
      'network.proxy.ssl_port': Number(port),
      'network.proxy.socks_remote_dns': true,
    })
  }
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    extraPrefsFirefox: prefs,
    // As Mozilla's own test harnesses run it: release builds then honour
    // services.settings.server, and a data: URL there stops Remote Settings.
    env: { ...process.env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
  })
}

/**
 * What the browser tests expect of each engine, where engines differ.
 * - nativeStackOverflow: the error a call that exhausts the native stack
 *   raises (the cause of its WasmAbortError)
 * - mainThreadSyncLimit: whether the main thread refuses synchronous
 *   compilation/instantiation of a module over 8 MB
 * - plainBundler: what importing the unpatched bundler target without a
 *   bundler gives (its glue imports the .wasm as an ES module): the error
 *   of the import and the page's uncaught errors
 * - holdsDead: why the engine may keep a dead instance itself, so that the
 *   fault matrix's check that none is held is a known failure there: in
 *   Firefox dead instances stay held with the JS JITs on, and with them off
 *   (firefoxNoJit) every one is collected; a page cannot force a full
 *   collection, nor the JIT code to be discarded
 * - faultsOnly: run only the fault matrix of browser-suite.mjs
 * - variant: what the engine matrix adds to the engine's name
 * - quiet: whether the browser must make no request beyond 127.0.0.1 (Chromium
 *   still tries update.googleapis.com and accounts.google.com; the sink
 *   proxy refuses them)
 */
export const ENGINES = {
  chromium: {
    name: 'Chromium',
    executable: CHROMIUM,
    installer: 'scripts/install-chromium.mjs',
    launch: launchChromium,
    nativeStackOverflow: 'RangeError',
    mainThreadSyncLimit: true,
    holdsDead: null,
    plainBundler: { error: /Failed to fetch dynamically imported module: \S*\/plain-bundler\/bricked\.js/, pageErrors: [] },
    quiet: false,
  },
  firefox: {
    name: 'Firefox',
    executable: FIREFOX,
    installer: 'scripts/install-firefox.mjs',
    launch: launchFirefox,
    nativeStackOverflow: 'InternalError',
    mainThreadSyncLimit: false,
    holdsDead: 'held with the JS JITs on',
    plainBundler: {
      error: /error loading dynamically imported module: \S*\/plain-bundler\/bricked_bg\.wasm/,
      pageErrors: [/bricked_bg\.wasm” was blocked because of a disallowed MIME type \(“application\/wasm”\)/],
    },
    quiet: true,
  },
}
// Firefox with its JS JITs off (baseline interpreter, baseline JIT, Ion;
// Wasm compiles as ever), for the fault matrix alone: nothing then holds a
// dead instance but what the runtime would, so the check is asserted.
ENGINES.firefoxNoJit = {
  ...ENGINES.firefox,
  launch: (options) =>
    launchFirefox({
      ...options,
      prefs: { 'javascript.options.blinterp': false, 'javascript.options.baselinejit': false, 'javascript.options.ion': false },
    }),
  holdsDead: null,
  faultsOnly: true,
  variant: 'JS JITs off',
}

/**
 * An HTTP proxy on 127.0.0.1 that refuses everything and records where each
 * request was going: a browser launched with it cannot reach anything but
 * 127.0.0.1, and `requests` shows what it tried.
 */
export async function sinkProxy() {
  const requests = []
  const site = await listen((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' })
    res.end('no outside connections in the browser tests')
  })
  site.server.on('connect', (req, socket) => {
    requests.push(`CONNECT ${req.url}`)
    socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n')
  })
  return { ...site, requests, address: site.base.slice('http://'.length) }
}

/**
 * Launches the engine (an entry of ENGINES) behind one interface for both
 * drivers, its outside traffic sent to a sinkProxy:
 * { engine, version, outside, newPage(), close() }. A page:
 * { goto(url), evaluate(fn, arg), waitFor(fn, timeoutMs), errors, responses, close() }
 * where errors are the page's uncaught errors and responses
 * { url, status, type, body() } every response it received. Pages are
 * isolated (a browser context each).
 */
export async function openBrowser(engine) {
  const sink = await sinkProxy()
  let browser
  try {
    browser = await engine.launch({ proxy: sink.address })
  } catch (e) {
    sink.server.close()
    throw e
  }
  const playwright = typeof browser.newContext === 'function'
  return {
    engine,
    version: await browser.version(),
    outside: sink.requests,
    async newPage() {
      const context = playwright ? await browser.newContext() : await browser.createBrowserContext()
      const page = await context.newPage()
      const errors = []
      const responses = []
      page.on('pageerror', (e) => errors.push(String(e)))
      page.on('response', (r) =>
        responses.push({
          url: r.url(),
          status: r.status(),
          type: r.headers()['content-type'],
          body: async () => Buffer.from(playwright ? await r.body() : await r.content()),
        }),
      )
      return {
        raw: page,
        errors,
        responses,
        goto: (url) => page.goto(url),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        waitFor: (fn, timeout) => (playwright ? page.waitForFunction(fn, null, { timeout }) : page.waitForFunction(fn, { timeout })),
        close: () => context.close(),
      }
    },
    async close() {
      await browser.close()
      sink.server.close()
    },
  }
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
 * resolves with its JSON result. `page` is an openBrowser page or a page of
 * either driver (playwright-core or puppeteer-core): all evaluate(fn, arg).
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
