// webpack/rspack loader added by the wasm-unbrick plugin for `x_bg.wasm`
// files of wasm-bindgen packages: hands the bundler the patched bytes (the
// asset module emitted for `new URL('./x_bg.wasm', import.meta.url)`), or
// those of the exception-handling variant named by the query.
'use strict'

module.exports = function wasmUnbrickLoader(source) {
  const callback = this.async()
  const { patchedWasm } = this.getOptions()
  patchedWasm(this.resourcePath, this.resourceQuery, (message) => this.emitWarning(new Error(message))).then(
    (r) => {
      if (!r) return callback(null, source)
      for (const dep of r.deps) this.addDependency(dep)
      callback(null, r.bytes)
    },
    (err) => callback(err),
  )
}

module.exports.raw = true
