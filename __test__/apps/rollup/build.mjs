// Builds the app of a project made by makeProject('rollup', ...) with
// rollup's JS API: the project's rollup.config.mjs (the README snippet), or
// that configuration with `unbrick(pluginOptions)` in place of its unbrick(). Writes
// index.html beside the bundle (rollup makes no page), so that the output
// directory can be served as it is. Rollup's warnings go to `warnings`.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export const INDEX_HTML =
  '<!doctype html><meta charset="utf-8"><title>wasm-unbrick rollup app</title><script type="module" src="./main.js"></script>\n'

/** Resolves to the output directory. */
export async function build(projectDir, pluginOptions, { warnings = [] } = {}) {
  const { rollup } = await import('rollup')
  const { default: config } = await import(pathToFileURL(path.join(projectDir, 'rollup.config.mjs')).href)
  const { default: unbrick } = await import('wasm-unbrick/rollup')
  const plugins =
    pluginOptions === undefined ? config.plugins : config.plugins.map((p) => (p.name === 'wasm-unbrick' ? unbrick(pluginOptions) : p))
  const outDir = path.resolve(projectDir, config.output.dir)
  fs.rmSync(outDir, { recursive: true, force: true })
  const bundle = await rollup({ ...config, plugins, onwarn: (w) => warnings.push(w.message) })
  try {
    await bundle.write(config.output)
  } finally {
    await bundle.close()
  }
  fs.writeFileSync(path.join(outDir, 'index.html'), INDEX_HTML)
  return outDir
}
