// wasm-unbrick command line: the addon, loaded once.
'use strict'

let binding = null

function loadBinding() {
  if (binding !== null) return binding
  // The WebAssembly build of the addon (the fallback where no native binary
  // fits) makes Node print "WASI is an experimental feature" once per
  // thread: silence that one warning, keep the others.
  const printers = process.listeners('warning')
  process.removeAllListeners('warning')
  process.on('warning', (w) => {
    if (w && w.name === 'ExperimentalWarning' && /\bWASI\b/.test(w.message)) return
    for (const print of printers) print(w)
  })
  // Its worker threads inherit these flags; they run nothing but the addon.
  process.execArgv.push('--no-warnings')
  binding = require('../index.js')
  return binding
}

function version() {
  return require('../package.json').version
}

module.exports = { loadBinding, version }
