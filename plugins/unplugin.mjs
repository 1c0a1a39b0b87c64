// The wasm-unbrick bundler plugin, written once with unplugin.
//
// When the bundler loads a glue file of a wasm-bindgen package (`x.js` or
// `x_bg.js` beside `x_bg.wasm`), the package's files are patched in memory
// (cached by content hash) and the patched glue is returned from the load
// hook; nothing is written to disk. The patched glue compiles its `.wasm`
// from `new URL('x_bg.wasm', import.meta.url)`; the plugin makes that URL
// point at the *patched* bytes:
//   - vite build, rollup, rolldown: the bytes are emitted as an asset and
//     the URL becomes `import.meta.ROLLUP_FILE_URL_<ref>`;
//   - vite dev server: the bytes are served by a middleware under
//     `<base>@unbrick/<hash>/x_bg.wasm`;
//   - webpack, rspack: the URL stays relative and a loader rule hands the
//     patched bytes to the asset module of `x_bg.wasm`;
//   - esbuild, which has no `new URL(..., import.meta.url)` handling: the
//     glue imports the patched bytes, which esbuild's `file` loader copies
//     into the output directory (the import is then the path from the
//     output file to it) or its `dataurl` loader inlines (`wasmLoader`), and
//     the URL becomes `new URL(<that import>, import.meta.url)`. esbuild
//     reads them from a content-addressed cache file
//     (node_modules/.cache/wasm-unbrick/), since contents handed over its
//     plugin API cost more than linearly (0.3 s for 8 MB, in every build).
// A panic=unwind module also has exception-handling variants (x_bg.legacy.wasm
// and so on, chosen at run time by the glue): each is carried the same way.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createUnplugin } from 'unplugin'
import { coreOptions, createFilter, packageOf, patchPackage } from './core.mjs'

const WASM_LOADER = fileURLToPath(new URL('./webpack-wasm-loader.cjs', import.meta.url))
const DEV_PREFIX = '@unbrick/'
// `x_bg.wasm?unbrick-variant=x_bg.legacy.wasm`: a variant, for webpack's loader.
const VARIANT_QUERY = 'unbrick-variant'
const LOAD_FILTER = /\.(?:m|c)?js(?:[?#].*)?$/
// esbuild: `import w from 'wasm-unbrick-wasm:<sha>/x_bg.wasm'` in the glue is
// the patched bytes of x_bg.wasm (sha: of those bytes), read by esbuild from
// `<cache>/<sha>/x_bg.unbrick.wasm` with the loader of ESBUILD_EXT.
const ESBUILD_IMPORT = 'wasm-unbrick-wasm:'
const ESBUILD_EXT = '.unbrick.wasm'
const ESBUILD_LOADERS = ['file', 'dataurl']
// What the runtime in the patched glue imports only under Node (to read a
// `file:` URL); a browser bundle keeps it external.
const NODE_ONLY = new Set(['node:fs/promises'])

/** Error codes of the addon that mean "this package cannot be patched", as opposed to a broken build. */
const REFUSALS = new Set(['unsupported', 'not-wasm-bindgen', 'invalid-glue', 'invalid-wasm'])

export const unplugin = createUnplugin((rawOptions = {}, meta) => {
  const options = { onUnsupported: 'warn', optimizeDepsExclude: true, wasmLoader: 'file', ...rawOptions }
  if (!['warn', 'error', 'ignore'].includes(options.onUnsupported)) {
    throw new TypeError(`wasm-unbrick: onUnsupported must be 'warn', 'error' or 'ignore', got ${JSON.stringify(options.onUnsupported)}`)
  }
  if (!ESBUILD_LOADERS.includes(options.wasmLoader)) {
    throw new TypeError(`wasm-unbrick: wasmLoader must be 'file' or 'dataurl', got ${JSON.stringify(options.wasmLoader)}`)
  }
  const filter = createFilter(options.include, options.exclude)
  const core = coreOptions(rawOptions)
  const framework = meta.framework
  let viteCommand = null
  let viteBase = '/'
  const devAssets = new Map()
  // esbuild: its initial options, and the bytes of each module the glue imports.
  let esbuildOptions = {}
  const esbuildAssets = new Map()
  const warned = new Set()
  const report = options.onPatched

  /** The package `id` belongs to when the filters let it through. */
  function wanted(id) {
    const pkg = packageOf(id)
    if (!pkg || !filter(path.join(pkg.dir, pkg.entry))) return null
    return pkg
  }

  /** patchPackage with the onUnsupported policy applied; null = leave the package alone. */
  async function patched(pkg, warn) {
    try {
      const r = await patchPackage(pkg, core)
      const key = `${pkg.dir}\0${pkg.entry}\0${r.hash}`
      if (report && !warned.has(key)) {
        warned.add(key)
        report({ dir: pkg.dir, entry: pkg.entry, status: r.status, files: [...r.changed], analysis: r.analysis })
      }
      return r
    } catch (err) {
      if (!REFUSALS.has(err?.code) || options.onUnsupported === 'error') {
        const e = new Error(`wasm-unbrick: cannot patch ${path.join(pkg.dir, pkg.entry)}: ${err?.message}`, { cause: err })
        e.code = err?.code
        throw e
      }
      const key = `${pkg.dir}\0${pkg.entry}`
      if (options.onUnsupported === 'warn' && !warned.has(key)) {
        warned.add(key)
        warn(`wasm-unbrick: left unpatched: ${err.message}`)
      }
      return null
    }
  }

  /**
   * What a `new URL('<name>', import.meta.url)` of the glue becomes, so that
   * it loads the patched bytes of `name`; `imports` gathers the import
   * statements that the glue must gain for it (esbuild).
   */
  function urlOf(ctx, name, pkg, r, imports) {
    const bytes = r.files.get(name)
    if (framework === 'vite' && viteCommand === 'serve') {
      const key = `${r.hash.slice(0, 16)}/${name}`
      devAssets.set(key, bytes)
      // The comment keeps vite's own `new URL(..., import.meta.url)` handling off it.
      return `new URL(/* @vite-ignore */ ${JSON.stringify(`${viteBase}${DEV_PREFIX}${key}`)}, import.meta.url)`
    }
    if (framework === 'vite' || framework === 'rollup' || framework === 'rolldown') {
      const ref = ctx.emitFile({ type: 'asset', name, source: bytes })
      return `new URL(import.meta.ROLLUP_FILE_URL_${ref}, import.meta.url)`
    }
    if (framework === 'webpack' || framework === 'rspack') {
      // Relative to the file on disk, so that the bundler makes an asset
      // module of it; the loader rule added below replaces its bytes. A
      // variant, which is not on disk, is the same file with a query.
      const query = name === pkg.wasm ? '' : `?${VARIANT_QUERY}=${encodeURIComponent(name)}`
      const glue = pkg.role === 'bg' ? pkg.bg : pkg.entry
      const wasm = path.posix.relative(path.posix.dirname(glue), pkg.wasm)
      return `new URL(${JSON.stringify(`${wasm.startsWith('.') ? '' : './'}${wasm}${query}`)}, import.meta.url)`
    }
    if (framework === 'esbuild') {
      const key = `${shaOf(bytes)}/${name}`
      esbuildAssets.set(key, bytes)
      const binding = `__unbrick_wasm${imports.length}`
      imports.push(`import ${binding} from ${JSON.stringify(ESBUILD_IMPORT + key)};\n`)
      // A data: URL is absolute: no import.meta, which only format 'esm' has.
      return options.wasmLoader === 'dataurl' ? `new URL(${binding})` : `new URL(${binding}, import.meta.url)`
    }
    return null
  }

  /**
   * The patched glue `glue` with each `new URL('x_bg.wasm', import.meta.url)`
   * (and those of its variants) pointed at the patched bytes: at the byte
   * offsets the core reports (`wasmUrls`), no searching.
   */
  function redirectWasmUrls(ctx, glue, pkg, r) {
    const bytes = r.files.get(glue)
    const urls = new Map()
    const imports = []
    const parts = []
    let at = 0
    for (const site of [...(r.wasmUrls[glue] ?? [])].sort((a, b) => a.start - b.start)) {
      if (!urls.has(site.file)) urls.set(site.file, urlOf(ctx, site.file, pkg, r, imports))
      const url = urls.get(site.file)
      if (url === null) continue
      parts.push(bytes.subarray(at, site.start), Buffer.from(url))
      at = site.end
    }
    parts.push(bytes.subarray(at))
    return imports.join('') + Buffer.concat(parts).toString('utf8')
  }

  function addWasmRule(compiler) {
    compiler.options.module.rules.unshift({
      test: /_bg\.wasm$/,
      include: (file) => wanted(file) !== null,
      enforce: 'pre',
      use: [{ loader: WASM_LOADER, options: { patchedWasm } }],
    })
  }

  /**
   * For the webpack/rspack loader: the patched bytes of a `x_bg.wasm`, or of
   * the variant its query names, or null.
   */
  async function patchedWasm(file, query, warn) {
    const pkg = wanted(file)
    if (!pkg) return null
    const r = await patched(pkg, warn)
    if (!r) return null
    const name = new URLSearchParams(query).get(VARIANT_QUERY) ?? pkg.wasm
    if (!r.wasmFiles.includes(name)) throw new Error(`wasm-unbrick: ${path.join(pkg.dir, pkg.entry)} has no ${name}`)
    return { bytes: r.files.get(name), deps: r.deps }
  }

  /**
   * Throws where esbuild's options would build glue that fails at run time
   * (`file` is the glue, which loads its .wasm by URL).
   */
  function checkEsbuildOptions(file) {
    const o = esbuildOptions
    if (o.bundle !== true) {
      throw new Error(
        `wasm-unbrick: ${file}: esbuild runs without bundle: true, so the patched glue cannot carry its patched .wasm; ` +
          'set bundle: true, or patch the package with the wasm-unbrick CLI',
      )
    }
    // esbuild's default format when bundling: iife for the browser, cjs for node.
    const format = o.format ?? (o.platform === 'node' ? 'cjs' : o.platform === 'neutral' ? 'esm' : 'iife')
    if (options.wasmLoader === 'file' && format !== 'esm') {
      throw new Error(
        `wasm-unbrick: ${file} loads its .wasm from new URL(..., import.meta.url), which esbuild's ${JSON.stringify(format)} format ` +
          "leaves empty: set format: 'esm' (and load the bundle with <script type=\"module\">), or wasmLoader: 'dataurl' " +
          'to inline the .wasm into the bundle',
      )
    }
  }

  return {
    name: 'wasm-unbrick',
    enforce: 'pre',
    load: {
      filter: { id: LOAD_FILTER },
      async handler(id) {
        const pkg = wanted(id)
        if (!pkg || pkg.role === 'wasm') return null
        const r = await patched(pkg, (message) => this.warn(message))
        if (!r) return null
        if (r.status === 'patched' && r.changed.has(pkg.wasm) && !loadsWasmByUrl(pkg, r)) {
          // The glue gets its bytes elsewhere (read with fs, or handed to
          // init by the app): the bundle carries the patched glue alone.
          const key = `${pkg.dir}\0${pkg.entry}\0url`
          if (options.onUnsupported !== 'ignore' && !warned.has(key)) {
            warned.add(key)
            this.warn(
              `wasm-unbrick: ${path.join(pkg.dir, pkg.entry)} (${r.analysis.target ?? 'unknown'} target) does not load ${pkg.wasm} ` +
                'through new URL(..., import.meta.url), so the bundle carries its patched glue alone: recovery works, but with the ' +
                'unpatched .wasm the stack pointers are not restored after a JS exception crosses Wasm frames; ' +
                'patch the package with the wasm-unbrick CLI to have both',
            )
          }
        }
        for (const dep of r.deps) this.addWatchFile(dep)
        const name = pkg.role === 'bg' ? pkg.bg : pkg.entry
        if (framework === 'esbuild' && r.wasmUrls[name]?.length) checkEsbuildOptions(path.join(pkg.dir, name))
        const code = redirectWasmUrls(this, name, pkg, r)
        return { code, map: null }
      },
    },
    vite: {
      config(config) {
        if (!options.optimizeDepsExclude) return
        // Pre-bundling moves the glue away from its .wasm and bypasses this
        // plugin: keep the project's wasm-bindgen dependencies out of it.
        const root = path.resolve(config.root ?? process.cwd())
        const names = wasmBindgenDependencies(root, wanted)
        if (names.length) return { optimizeDeps: { exclude: names } }
      },
      configResolved(config) {
        viteCommand = config.command
        viteBase = config.base?.startsWith('/') ? config.base : '/'
        if (!viteBase.endsWith('/')) viteBase += '/'
      },
      configureServer(server) {
        server.middlewares.use((req, res, next) => {
          const url = (req.url || '').replace(/[?#].*$/, '')
          const prefix = `${viteBase}${DEV_PREFIX}`
          if (!url.startsWith(prefix)) return next()
          const bytes = devAssets.get(decodeURIComponent(url.slice(prefix.length)))
          if (!bytes) return next()
          res.statusCode = 200
          res.setHeader('Content-Type', 'application/wasm')
          res.setHeader('Cache-Control', 'no-cache')
          res.end(bytes)
        })
      },
    },
    rollup: {
      // What the runtime of the patched glue imports only under Node is
      // kept external (rollup would warn that it cannot resolve it).
      resolveId(source, importer) {
        return NODE_ONLY.has(source) && importer && wanted(importer) ? { id: source, external: true } : null
      },
    },
    webpack: addWasmRule,
    rspack: addWasmRule,
    esbuild: {
      // Only glue files reach the load hook (esbuild's Go regexp syntax).
      onLoadFilter: /\.[cm]?js$/,
      setup(build) {
        esbuildOptions = build.initialOptions
        // `file` copies the module into the output directory under esbuild's
        // assetNames (`x_bg.unbrick-<hash>.wasm`); `dataurl` inlines it.
        build.initialOptions.loader = { ...build.initialOptions.loader, [ESBUILD_EXT]: options.wasmLoader }
        const cache = cacheDir(build.initialOptions.absWorkingDir ?? process.cwd())
        build.onResolve({ filter: new RegExp(`^${ESBUILD_IMPORT}`) }, async (args) => {
          const key = args.path.slice(ESBUILD_IMPORT.length)
          const bytes = esbuildAssets.get(key)
          if (!bytes) return { errors: [{ text: `wasm-unbrick: no patched module ${key}` }] }
          return { path: await cacheFile(cache, key.replace(/\.wasm$/, ESBUILD_EXT), bytes) }
        })
        // What the runtime of the patched glue imports only under Node stays external.
        build.onResolve({ filter: /^node:/ }, (args) =>
          NODE_ONLY.has(args.path) && wanted(args.importer) ? { path: args.path, external: true } : undefined,
        )
      },
    },
  }
})

// The sha256 (first 16 hex digits) of each patched module, by its Buffer.
const shas = new WeakMap()
function shaOf(bytes) {
  let hex = shas.get(bytes)
  if (!hex) {
    hex = createHash('sha256').update(bytes).digest('hex').slice(0, 16)
    shas.set(bytes, hex)
  }
  return hex
}

/** esbuild: where the patched modules are written, the nearest node_modules/.cache above `dir` (else the temp directory). */
function cacheDir(dir) {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'node_modules'))) return path.join(d, 'node_modules', '.cache', 'wasm-unbrick')
    if (path.dirname(d) === d) return path.join(os.tmpdir(), 'wasm-unbrick-cache')
  }
}

// esbuild's cache keeps the CACHE_KEEP modules written or used last (a
// directory each), and every one this process has used.
const CACHE_KEEP = 32
const cacheUsed = new Set()

/** `<cache>/<key>` holding `bytes` (written once: the key starts with their sha), as an absolute path. */
async function cacheFile(cache, key, bytes) {
  const file = path.join(cache, ...key.split('/'))
  const dir = path.dirname(file)
  cacheUsed.add(dir)
  const st = await fs.promises.stat(file).catch(() => null)
  if (st?.size === bytes.length) {
    // Marks it used, so that another build's pruning keeps it.
    const now = new Date()
    await fs.promises.utimes(dir, now, now).catch(() => {})
    return file
  }
  await fs.promises.mkdir(dir, { recursive: true })
  // Written aside and renamed, so that a build running beside never reads half of it.
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  await fs.promises.writeFile(tmp, bytes)
  await fs.promises.rename(tmp, file)
  await pruneCache(cache)
  return file
}

/** Removes the cache's directories but the CACHE_KEEP most recently used and those of this process. */
async function pruneCache(cache) {
  const entries = []
  for (const name of await fs.promises.readdir(cache).catch(() => [])) {
    const dir = path.join(cache, name)
    const st = await fs.promises.stat(dir).catch(() => null)
    if (st?.isDirectory()) entries.push({ dir, mtime: st.mtimeMs })
  }
  entries.sort((a, b) => b.mtime - a.mtime)
  for (const { dir } of entries.slice(CACHE_KEEP)) {
    if (!cacheUsed.has(dir)) await fs.promises.rm(dir, { recursive: true, force: true })
  }
}

/** Whether the patched glue of pkg loads its .wasm from `new URL('x_bg.wasm', import.meta.url)`. */
function loadsWasmByUrl(pkg, r) {
  return [pkg.entry, pkg.bg].some((name) => name !== null && r.wasmUrls[name]?.some((site) => site.file === pkg.wasm))
}

/** Names of the root package's dependencies that hold a wasm-bindgen package (a `*_bg.wasm` beside its glue). */
function wasmBindgenDependencies(root, wanted) {
  let manifest
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
  } catch {
    return []
  }
  const names = new Set()
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    for (const name of Object.keys(manifest[field] || {})) names.add(name)
  }
  const req = createRequire(path.join(root, 'package.json'))
  const found = []
  for (const name of names) {
    let dir
    try {
      dir = path.dirname(req.resolve(`${name}/package.json`))
    } catch {
      const guess = path.join(root, 'node_modules', name)
      if (!fs.existsSync(path.join(guess, 'package.json'))) continue
      dir = guess
    }
    let entries = []
    try {
      entries = fs.readdirSync(dir)
    } catch {
      continue
    }
    const hit = entries.some((f) => f.endsWith('_bg.wasm') && wanted(path.join(dir, f)) !== null)
    if (hit) found.push(name)
  }
  return found
}

export default unplugin
