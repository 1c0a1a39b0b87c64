// Loads the wasm-unbrick Node-API addon.
//
// Order: the file named by NAPI_RS_NATIVE_LIBRARY_PATH, then a
// `wasm-unbrick.<platform>.node` next to this file (what `npm run build`
// produces), then the platform package `wasm-unbrick-<platform>` (an
// optionalDependency of the published package).
//
// Errors thrown by `analyze()` and `patch()` carry `code`: the core's error
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
    const report = process.report && process.report.getReport()
    return !(report && report.header && report.header.glibcVersionRuntime)
  } catch {
    return false
  }
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

  if (process.env.NAPI_RS_NATIVE_LIBRARY_PATH) {
    const binding = attempt(process.env.NAPI_RS_NATIVE_LIBRARY_PATH)
    if (binding) return binding
  }

  const key = `${process.platform}-${process.arch}`
  const platform = PLATFORMS[key]
  if (platform) {
    const binding =
      attempt(`./wasm-unbrick.${platform}.node`) || attempt(`wasm-unbrick-${platform}`)
    if (binding) return binding
  }

  // Checked only after a failure: getReport() costs a few milliseconds.
  const musl = isMusl()
  const what = platform && !musl ? `wasm-unbrick-${platform}` : `a build for ${key}${musl ? ' (musl)' : ''}`
  const supported = Object.keys(PLATFORMS).join(', ')
  const err = new Error(
    `wasm-unbrick: cannot load the native addon (${what}). ` +
      `Prebuilt for: ${supported} (glibc on Linux). ` +
      'Reinstall without --no-optional / --omit=optional, or build from source with `npm run build`.' +
      errors.map((e) => `\n  - ${e.message.split('\n')[0]}`).join(''),
    { cause: errors[errors.length - 1] },
  )
  err.code = 'ERR_WASM_UNBRICK_NATIVE'
  throw err
}

const binding = load()

module.exports.analyze = binding.analyze
module.exports.patch = binding.patch
