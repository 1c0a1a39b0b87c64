// Runs in a Chromium page or a dedicated worker (scripts/test-real-browser.mjs):
// a public web-target package, initialised as its README says, a smoke
// test of its own API, and for the patched copy a forced abort
// (`__unbrick.terminate()`), recovery and the same smoke test again.

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="24">' + '<rect x="2" y="3" width="20" height="10" fill="#c33"/></svg>'

// FNV-1a over bytes: enough to compare two renderings.
function fnv(bytes) {
  let h = 0x811c9dc5
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0
  return h.toString(16)
}

export const PACKAGES = {
  resvg: {
    init: (m, dir) => m.initWasm(fetch(`${dir}/index_bg.wasm`)),
    smoke: (m) => {
      const r = new m.Resvg(SVG, { fitTo: { mode: 'width', value: 64 } })
      const image = r.render()
      return { size: [r.width, r.height, image.width, image.height], png: fnv(image.asPng()) }
    },
    stale: { make: (m) => new m.Resvg(SVG), use: (r) => r.render() },
  },
  ruff: {
    init: (m) => m.default(),
    smoke: (m) => {
      const ws = new m.Workspace(m.Workspace.defaultSettings(), m.PositionEncoding.UTF16)
      return { version: m.Workspace.version(), format: ws.format('x = [1,2 ,3]\ndef f( a ):\n  return a\n') }
    },
    stale: { make: (m) => new m.Workspace(m.Workspace.defaultSettings(), m.PositionEncoding.UTF16), use: (ws) => ws.format('y=2\n') },
  },
  biome: {
    init: (m) => m.default(),
    smoke: (m) => {
      const ws = new m.Workspace()
      const { projectKey } = ws.openProject({ path: '/', openUninitialized: true })
      ws.openFile({ projectKey, path: '/a.js', content: { type: 'fromClient', content: 'let  x=[1,2 ,3]', version: 0 } })
      return ws.formatFile({ projectKey, path: '/a.js' }).code
    },
    stale: { make: (m) => new m.Workspace(), use: (ws) => ws.fileExists({ filePath: '/a.js' }) },
  },
}

function attempt(fn) {
  try {
    return { value: fn() }
  } catch (e) {
    return { error: { name: e?.name, message: String(e?.message).slice(0, 300) } }
  }
}

/**
 * Loads `<dir>/<entry>`, initialises it and runs the smoke test; for a
 * patched package (with `policy`) also terminates the instance and times
 * the recovery up to the first smoke test that works again.
 */
export async function run(kind, dir, entry, policy) {
  const spec = PACKAGES[kind]
  const m = await import(`${dir}/${entry}`)
  const t = performance.now()
  try {
    await spec.init(m, dir)
  } catch (e) {
    return { init: { name: e?.name, message: String(e?.message).slice(0, 300) } }
  }
  const out = { init: 'ok', initMs: performance.now() - t, smoke: attempt(() => spec.smoke(m)) }
  const u = m.__unbrick
  if (policy === undefined || u === undefined) return { ...out, handle: u !== undefined }
  u.policy = policy
  const old = spec.stale.make(m)
  const t0 = performance.now()
  u.terminate('test-real-browser: forced')
  out.firstCall = attempt(() => spec.smoke(m))
  out.readyGeneration = await u.ready
  out.again = attempt(() => spec.smoke(m))
  out.recoveryMs = performance.now() - t0
  out.stale = attempt(() => spec.stale.use(old)).error?.name ?? 'not refused'
  out.stats = u.stats
  return out
}
