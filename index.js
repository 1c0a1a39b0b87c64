// Loads the wasm-unbrick Node-API addon.
//
// Order: the file named by NAPI_RS_NATIVE_LIBRARY_PATH, then a
// `wasm-unbrick.<platform>.node` next to this file (what `npm run build`
// produces), then the platform package `wasm-unbrick-<platform>` (an
// optionalDependency of the published package), and last the WebAssembly
// build (package `wasm-unbrick-wasm32-wasi`, or `npm/wasm32-wasi/` of a
// checkout after `npm run build:wasm`), which runs anywhere Node 20+ runs.
// NAPI_RS_FORCE_WASI=true (or 1) tries the WebAssembly build first;
// NAPI_RS_FORCE_WASI=error uses it or fails. The WebAssembly build sees the
// file system from its root, so relative paths are resolved here first.
//
// Errors thrown by every function (and rejections of the ...Async ones) carry `code`: the core's error
// kind ('usage', 'io', 'not-wasm-bindgen', 'invalid-wasm', 'invalid-glue',
// 'unsupported', ...).
'use strict'

// process.platform-process.arch -> napi-rs platform name, for every target
// declared in package.json ("napi.targets").
const PLATFORMS = {
  'linux-x64': 'linux-x64-gnu',
  'linux-arm64': 'linux-arm64-gnu',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64-msvc',
}

function isMusl() {
  if (process.platform !== 'linux') return false
  try {
    const report = process.report?.getReport()
    return !report?.header?.glibcVersionRuntime
  } catch {
    return false
  }
}

const path = require('node:path')

function loadWasi(attempt) {
  return attempt('wasm-unbrick-wasm32-wasi') || attempt('./npm/wasm32-wasi/wasm-unbrick.wasi.cjs')
}

function load() {
  const errors = []
  const attempt = (id) => {
    try {
      return require(id)
    } catch (e) {
      errors.push(e)
      return null
    }
  }
  const force = process.env.NAPI_RS_FORCE_WASI
  const preferWasi = force === 'true' || force === '1' || force === 'error'

  if (preferWasi) {
    const binding = loadWasi(attempt)
    if (binding) return { binding, wasi: true }
    if (force === 'error') return fail('the WebAssembly build (NAPI_RS_FORCE_WASI=error)', errors, 'ERR_WASM_UNBRICK_WASI')
  }

  if (process.env.NAPI_RS_NATIVE_LIBRARY_PATH) {
    const binding = attempt(process.env.NAPI_RS_NATIVE_LIBRARY_PATH)
    if (binding) return { binding, wasi: false }
  }

  const key = `${process.platform}-${process.arch}`
  const platform = PLATFORMS[key]
  if (platform) {
    const binding = attempt(`./wasm-unbrick.${platform}.node`) || attempt(`wasm-unbrick-${platform}`)
    if (binding) return { binding, wasi: false }
  }

  if (!preferWasi) {
    const binding = loadWasi(attempt)
    if (binding) return { binding, wasi: true }
  }

  // Checked only after a failure: getReport() costs a few milliseconds.
  const musl = isMusl()
  const what = platform && !musl ? `wasm-unbrick-${platform}` : `a build for ${key}${musl ? ' (musl)' : ''}`
  return fail(what, errors, 'ERR_WASM_UNBRICK_NATIVE')
}

function fail(what, errors, code) {
  const supported = Object.keys(PLATFORMS).join(', ')
  const err = new Error(
    `wasm-unbrick: cannot load the native addon (${what}). ` +
      `Prebuilt for: ${supported} (glibc on Linux); elsewhere install the WebAssembly build ` +
      '(`npm install --cpu=wasm32 wasm-unbrick-wasm32-wasi`). ' +
      'Reinstall without --no-optional / --omit=optional, or build from source with `npm run build`.' +
      errors.map((e) => `\n  - ${e.message.split('\n')[0]}`).join(''),
    { cause: errors[errors.length - 1] },
  )
  err.code = code
  throw err
}

const { binding, wasi } = load()

/**
 * For the WebAssembly build: calls `fn` with `file` (and `options.outDir`)
 * made absolute, and gives the report and error messages back the paths
 * as they were given.
 */
function withAbsolutePaths(fn) {
  return (file, options, ...rest) => {
    if (typeof file !== 'string') return fn(file, options, ...rest)
    const abs = path.resolve(file)
    let opts = options
    const outDir = options && typeof options.outDir === 'string' ? options.outDir : undefined
    if (outDir !== undefined) opts = { ...options, outDir: path.resolve(outDir) }
    const restore = (value) => {
      if (value && typeof value === 'object') {
        if (value.path === abs) value.path = file
        if (outDir !== undefined && typeof value.outDir === 'string') value.outDir = outDir
        if (value.analysis && value.analysis.path === abs) value.analysis.path = file
      }
      return value
    }
    const restoreError = (err) => {
      if (err && typeof err.message === 'string') {
        if (err.message.startsWith(abs)) err.message = file + err.message.slice(abs.length)
        else if (outDir !== undefined && err.message.startsWith(path.resolve(outDir))) {
          err.message = outDir + err.message.slice(path.resolve(outDir).length)
        }
      }
      return err
    }
    let result
    try {
      result = fn(abs, opts, ...rest)
    } catch (err) {
      throw restoreError(err)
    }
    if (result && typeof result.then === 'function') {
      return result.then(restore, (err) => {
        throw restoreError(err)
      })
    }
    return restore(result)
  }
}

const fsFunction = (fn) => (wasi ? withAbsolutePaths(fn) : fn)

module.exports.locate = fsFunction(binding.locate)
module.exports.analyze = fsFunction(binding.analyze)
module.exports.analyzeAsync = fsFunction(binding.analyzeAsync)
module.exports.patch = fsFunction(binding.patch)
module.exports.patchAsync = fsFunction(binding.patchAsync)
module.exports.parseOptions = binding.parseOptions
module.exports.transform = binding.transform
module.exports.transformAsync = binding.transformAsync
module.exports.ehVariant = binding.ehVariant
/** `'native'` or `'wasm32-wasi'`: which build of the addon was loaded. */
module.exports.bindingKind = wasi ? 'wasm32-wasi' : 'native'
