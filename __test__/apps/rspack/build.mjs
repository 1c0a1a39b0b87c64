// Builds the app of a project made by makeProject('rspack', ...) with
// rspack's JS API: the project's rspack.config.mjs (the README snippet), or
// that configuration with `unbrick(pluginOptions)` as its plugins. Writes
// index.html beside the bundle (the configuration makes no page), so that
// the output directory can be served as it is. A build error rejects;
// rspack's warnings go to `warnings`.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export const INDEX_HTML = '<!doctype html><meta charset="utf-8"><title>wasm-unbrick rspack app</title><script src="./main.js"></script>\n'

/** Resolves to the output directory. */
export async function build(projectDir, pluginOptions, { warnings = [] } = {}) {
  const { rspack } = await import('@rspack/core')
  const { default: config } = await import(pathToFileURL(path.join(projectDir, 'rspack.config.mjs')).href)
  const { default: unbrick } = await import('wasm-unbrick/rspack')
  const plugins = pluginOptions === undefined ? config.plugins : [unbrick(pluginOptions)]
  const compiler = rspack({ ...config, plugins, context: projectDir })
  const stats = await new Promise((resolve, reject) => {
    compiler.run((err, s) => compiler.close(() => (err ? reject(err) : resolve(s))))
  })
  if (stats.hasErrors()) throw new Error(`rspack: ${stats.toString({ all: false, errors: true })}`)
  for (const w of stats.toJson({ all: false, warnings: true }).warnings) warnings.push(w.message)
  const outDir = path.resolve(projectDir, config.output.path)
  fs.writeFileSync(path.join(outDir, 'index.html'), INDEX_HTML)
  return outDir
}
