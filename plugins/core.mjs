// What the bundler plugins share: recognising the files of a wasm-bindgen
// package, patching a package in memory through the addon (off the main
// thread), and caching the result by content hash.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)
const picomatch = require('picomatch')

const toSlash = (p) => p.split(path.sep).join('/')

let binding = null
/** The addon, loaded on first use (a build that meets no package never loads it). */
export function addon() {
  binding ??= require('../index.js')
  return binding
}

const GLUE_RE = /\.(?:m|c)?js$/

/** `compute(file)`, cached in `cache` by the file's mtime; false when it cannot be read. */
function byMtime(cache, file, compute) {
  let mtime
  try {
    mtime = fs.statSync(file).mtimeMs
  } catch {
    return false
  }
  const hit = cache.get(file)
  if (hit?.mtime === mtime) return hit.value
  const value = compute(file)
  cache.set(file, { mtime, value })
  return value
}

// Whether a directory holds a *_bg.wasm: most modules of a bundle are no
// wasm-bindgen glue, and for them the addon is never loaded.
const wasmDirs = new Map()
const holdsWasm = (dir) => byMtime(wasmDirs, dir, () => fs.readdirSync(dir).some((f) => f.endsWith('_bg.wasm')))

// Whether a file under node_modules names wasm-bindgen imports: a published
// package may keep its glue away from its .wasm (bundled into dist/), and
// the core then matches them by content.
const glueFiles = new Map()
const namesWasmBindgen = (file) =>
  file.includes(`${path.sep}node_modules${path.sep}`) &&
  byMtime(glueFiles, file, () => fs.readFileSync(file, 'latin1').includes('__wbindgen'))

/**
 * The wasm-bindgen package `file` (a glue file, `x_bg.js` or `x_bg.wasm`)
 * belongs to, as the core finds it (`locate`), or null. Returns { dir,
 * entry, bg, wasm, files, role }: file names relative to dir (with `/`),
 * `files` every file of the package the core reads, role 'entry' | 'bg' | 'wasm'.
 */
export function packageOf(file) {
  if (typeof file !== 'string' || file.startsWith('\0') || file.includes('\0')) return null
  const clean = file.replace(/[?#].*$/, '')
  if (!path.isAbsolute(clean) || !(GLUE_RE.test(clean) || clean.endsWith('_bg.wasm'))) return null
  if (!holdsWasm(path.dirname(clean)) && !(GLUE_RE.test(clean) && namesWasmBindgen(clean))) return null
  let pkg
  try {
    pkg = addon().locate(clean)
  } catch {
    return null
  }
  const name = toSlash(path.relative(pkg.dir, clean))
  const role = name === pkg.wasm ? 'wasm' : name === pkg.bg ? 'bg' : 'entry'
  const files = [pkg.entry, pkg.bg, pkg.wasm, pkg.dts, pkg.wasmDts].filter((name) => name !== null)
  return { dir: pkg.dir, entry: pkg.entry, bg: pkg.bg, wasm: pkg.wasm, files, role }
}

/** include/exclude: a RegExp, a glob (matched against the absolute path with `/`), or an array of them. */
export function createFilter(include, exclude) {
  const compile = (pattern) => {
    if (pattern === undefined || pattern === null) return null
    const list = (Array.isArray(pattern) ? pattern : [pattern]).map((p) => {
      if (p instanceof RegExp)
        return (id) => {
          p.lastIndex = 0
          return p.test(id)
        }
      if (typeof p === 'string') {
        const glob = p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.startsWith('**') ? toSlash(p) : `**/${p}`
        // A pattern naming a directory covers what is inside it.
        return picomatch([glob, `${glob.replace(/\/+$/, '')}/**`], { dot: true })
      }
      if (typeof p === 'function') return p
      throw new TypeError(`wasm-unbrick: include/exclude take RegExps, glob strings or functions, got ${typeof p}`)
    })
    return (id) => list.some((test) => test(id))
  }
  const inc = compile(include)
  const exc = compile(exclude)
  return (file) => {
    const id = toSlash(file)
    if (exc?.(id)) return false
    return inc ? inc(id) : true
  }
}

// The plugin's own options; every other key is the core's (crates/
// unbrick-core/src/options.rs), which checks them.
const PLUGIN_OPTIONS = new Set(['include', 'exclude', 'onUnsupported', 'optimizeDepsExclude', 'onPatched', 'wasmLoader'])

/**
 * The core's options out of the plugin options, checked by the core at
 * once (a bad value throws the core's error, code 'usage'): { options, key }
 * where key is the complete parsed options, for cache keys.
 */
export function coreOptions(pluginOptions = {}) {
  const options = Object.fromEntries(Object.entries(pluginOptions).filter(([k]) => !PLUGIN_OPTIONS.has(k)))
  return { options, key: JSON.stringify(addon().parseOptions(options)) }
}

// Results by content hash (the files and the options); shared by every
// plugin instance of the process, so a dev server and its rebuilds, or
// several builds in one process, patch each package once.
const results = new Map()
// path -> { key: `${mtimeMs}:${size}`, bytes } so that loading the three
// files of a package reads and hashes it once while it does not change.
const reads = new Map()

function readCached(file) {
  const st = fs.statSync(file)
  const key = `${st.mtimeMs}:${st.size}:${st.ino}`
  const hit = reads.get(file)
  if (hit && hit.key === key) return hit
  const bytes = fs.readFileSync(file)
  const entry = { key, bytes, hash: createHash('sha256').update(bytes).digest('hex') }
  reads.set(file, entry)
  return entry
}

/**
 * Patches the package `pkg` (from packageOf) in memory with `core` (from
 * coreOptions). Resolves to { status, hash, files: Map name -> Buffer (every
 * file of the package, the patched ones replaced), changed: Set of names,
 * wasmFiles, wasmUrls, notes, analysis, deps } or rejects with the addon's error
 * (`code` set).
 */
export function patchPackage(pkg, core = coreOptions()) {
  const input = {}
  const hash = createHash('sha256')
  hash.update(core.key)
  const deps = []
  for (const name of pkg.files) {
    const file = path.join(pkg.dir, name)
    const r = readCached(file)
    input[name] = r.bytes
    hash.update(`\0${name}\0${r.hash}`)
    deps.push(file)
  }
  const key = hash.digest('hex')
  let pending = results.get(key)
  if (!pending) {
    pending = addon()
      .transformAsync(input, pkg.entry, core.options)
      .then((r) => {
        const files = new Map(Object.entries(input))
        for (const [name, bytes] of Object.entries(r.files)) files.set(name, bytes)
        const changed = new Set(Object.keys(r.files))
        return {
          status: r.status,
          hash: key,
          files,
          changed,
          wasmFiles: r.wasmFiles,
          wasmUrls: r.wasmUrls,
          notes: r.notes,
          analysis: r.analysis,
        }
      })
    pending.catch(() => results.delete(key))
    results.set(key, pending)
    // Keep the cache from growing without bound in long-running dev servers.
    if (results.size > 256) results.delete(results.keys().next().value)
  }
  return pending.then((r) => ({ ...r, deps }))
}
