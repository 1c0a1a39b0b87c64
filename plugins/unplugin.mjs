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
//     patched bytes to the asset module of `x_bg.wasm`.
// A panic=unwind module also has exception-handling variants (x_bg.legacy.wasm
// and so on, chosen at run time by the glue): each is carried the same way.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createUnplugin } from 'unplugin'
import { coreOptions, createFilter, packageOf, patchPackage } from './core.mjs'

const WASM_LOADER = fileURLToPath(new URL('./webpack-wasm-loader.cjs', import.meta.url))
const DEV_PREFIX = '@unbrick/'
// `x_bg.wasm?unbrick-variant=x_bg.legacy.wasm`: a variant, for webpack's loader.
const VARIANT_QUERY = 'unbrick-variant'
const LOAD_FILTER = /\.(?:m|c)?js(?:[?#].*)?$/

/** Error codes of the addon that mean "this package cannot be patched", as opposed to a broken build. */
const REFUSALS = new Set(['unsupported', 'not-wasm-bindgen', 'invalid-glue', 'invalid-wasm'])

export const unplugin = createUnplugin((rawOptions = {}, meta) => {
  const options = { onUnsupported: 'warn', optimizeDepsExclude: true, ...rawOptions }
  if (!['warn', 'error', 'ignore'].includes(options.onUnsupported)) {
    throw new TypeError(`wasm-unbrick: onUnsupported must be 'warn', 'error' or 'ignore', got ${JSON.stringify(options.onUnsupported)}`)
  }
  const filter = createFilter(options.include, options.exclude)
  const core = coreOptions(rawOptions)
  const framework = meta.framework
  let viteCommand = null
  let viteBase = '/'
  const devAssets = new Map()
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

  /** What a `new URL('<name>', import.meta.url)` of the glue becomes, so that it loads the patched bytes of `name`. */
  function urlOf(ctx, name, pkg, r) {
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
    const parts = []
    let at = 0
    for (const site of [...(r.wasmUrls[glue] ?? [])].sort((a, b) => a.start - b.start)) {
      if (!urls.has(site.file)) urls.set(site.file, urlOf(ctx, site.file, pkg, r))
      const url = urls.get(site.file)
      if (url === null) continue
      parts.push(bytes.subarray(at, site.start), Buffer.from(url))
      at = site.end
    }
    parts.push(bytes.subarray(at))
    return Buffer.concat(parts).toString('utf8')
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
    webpack: addWasmRule,
    rspack: addWasmRule,
  }
})

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
