// workerd, Cloudflare's Workers runtime (npm `workerd`), for the engine
// tests: serves one ES-module worker on 127.0.0.1 from a capnp config made
// in a temporary directory, and stops it. Also the same worker in Miniflare.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { ROOT } from './helpers.mjs'

export const WORKERD = path.join(ROOT, 'node_modules', '.bin', 'workerd')
export const COMPATIBILITY_DATE = '2026-11-17'

/** A TCP port nobody listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/**
 * A worker's modules, by name, each { type: 'esModule' | 'wasm', file }
 * (the file to embed) or { type, text }.
 */
function writeConfig(dir, modules, port, v8Flags) {
  const entries = []
  for (const [name, m] of Object.entries(modules)) {
    const embedded = `m${entries.length}${path.extname(name)}`
    if (m.text !== undefined) fs.writeFileSync(path.join(dir, embedded), m.text)
    else fs.copyFileSync(m.file, path.join(dir, embedded))
    entries.push(`    (name = ${JSON.stringify(name)}, ${m.type} = embed ${JSON.stringify(embedded)})`)
  }
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
  v8Flags = [ ${['--expose-gc', ...v8Flags].map((f) => JSON.stringify(f)).join(', ')} ],
);
const worker :Workerd.Worker = (
  modules = [
${entries.join(',\n')}
  ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
);
`
  const file = path.join(dir, 'config.capnp')
  fs.writeFileSync(file, config)
  return file
}

/**
 * Starts workerd serving `modules` (the first is the main module); resolves
 * once it answers. `stop()` ends it; `log()` is what it printed. V8 gets
 * --expose-gc and `v8Flags`.
 */
export async function startWorkerd(modules, { v8Flags = [] } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-workerd-'))
  const port = await freePort()
  const config = writeConfig(dir, modules, port, v8Flags)
  const child = spawn(WORKERD, ['serve', config, '--verbose'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d) => {
    output += d
  })
  child.stderr.on('data', (d) => {
    output += d
  })
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const base = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}):\n${output}`)
    try {
      await fetch(`${base}/`, { signal: AbortSignal.timeout(2000) })
      break
    } catch {
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`workerd did not answer on ${base} within 20 s:\n${output}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  return { base, stop, log: () => output, fetch: (route) => fetch(`${base}${route}`) }
}

/** The same modules in Miniflare (its own bundled workerd); `fetch(route)` dispatches. */
export async function startMiniflare(modules) {
  const { Miniflare } = await import('miniflare')
  const types = { esModule: 'ESModule', wasm: 'CompiledWasm' }
  const mf = new Miniflare({
    modules: Object.entries(modules).map(([name, m]) => ({
      type: types[m.type],
      path: path.join(ROOT, name),
      contents: m.text !== undefined ? m.text : fs.readFileSync(m.file),
    })),
    modulesRoot: ROOT,
    compatibilityDate: '2026-07-30',
  })
  // One that fails to start is disposed of, or its loopback server keeps
  // this process alive.
  try {
    await mf.ready
  } catch (e) {
    await mf.dispose().catch(() => {})
    throw e
  }
  return {
    stop: () => mf.dispose(),
    log: () => '',
    fetch: (route) => mf.dispatchFetch(`http://localhost${route}`),
  }
}
