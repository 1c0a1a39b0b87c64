// Builds the app of a project made by makeProject('rollup', ...) with
// rollup's JS API: the project's rollup.config.mjs (the README snippet), or
// that configuration with `unbrick(pluginOptions)` in place of its unbrick(). Writes
// index.html beside the bundle (rollup makes no page), so that the output
// directory can be served as it is. Rollup's warnings go to `warnings`.
// rolldown, which has rollup's JS API, builds through bundleWith too.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export const INDEX_HTML =
  '<!doctype html><meta charset="utf-8"><title>wasm-unbrick app</title><script type="module" src="./main.js"></script>\n'

/**
 * Builds with `make` (rollup's `rollup`, or rolldown's `rolldown`) from the
 * project's `configFile`, `plugin(pluginOptions)` in place of the
 * configuration's wasm-unbrick plugin when options are given; resolves to
 * the output directory.
 */
export async function bundleWith(make, configFile, plugin, projectDir, pluginOptions, { warnings = [] } = {}) {
  const { default: config } = await import(pathToFileURL(path.join(projectDir, configFile)).href)
  const plugins =
    pluginOptions === undefined ? config.plugins : config.plugins.map((p) => (p.name === 'wasm-unbrick' ? plugin(pluginOptions) : p))
  const outDir = path.resolve(projectDir, config.output.dir)
  fs.rmSync(outDir, { recursive: true, force: true })
  const bundle = await make({ ...config, plugins, onwarn: (w) => warnings.push(w.message) })
  try {
    await bundle.write(config.output)
  } finally {
    await bundle.close()
  }
  fs.writeFileSync(path.join(outDir, 'index.html'), INDEX_HTML)
  return outDir
}

/** Resolves to the output directory. */
export async function build(projectDir, pluginOptions, options) {
  const { rollup } = await import('rollup')
  const { default: unbrick } = await import('wasm-unbrick/rollup')
  return bundleWith(rollup, 'rollup.config.mjs', unbrick, projectDir, pluginOptions, options)
}
