// Builds the app of a project made by makeProject('webpack', ...) with
// webpack's JS API: the project's webpack.config.mjs (the README snippet),
// or that configuration with `unbrick(pluginOptions)` as its plugins. Writes
// index.html beside the bundle (the configuration makes no page), so that
// the output directory can be served as it is. A build error rejects;
// webpack's warnings go to `warnings`.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export const INDEX_HTML = '<!doctype html><meta charset="utf-8"><title>wasm-unbrick webpack app</title><script src="./main.js"></script>\n'

/** Resolves to the output directory. */
export async function build(projectDir, pluginOptions, { warnings = [] } = {}) {
  const { default: webpack } = await import('webpack')
  const { default: config } = await import(pathToFileURL(path.join(projectDir, 'webpack.config.mjs')).href)
  const { default: unbrick } = await import('wasm-unbrick/webpack')
  const plugins = pluginOptions === undefined ? config.plugins : [unbrick(pluginOptions)]
  const compiler = webpack({ ...config, plugins, context: projectDir })
  const stats = await new Promise((resolve, reject) => {
    compiler.run((err, s) => compiler.close((closeErr) => (err || closeErr ? reject(err || closeErr) : resolve(s))))
  })
  if (stats.hasErrors()) throw new Error(`webpack: ${stats.toString({ all: false, errors: true })}`)
  for (const w of stats.toJson({ all: false, warnings: true }).warnings) warnings.push(w.message)
  const outDir = path.resolve(projectDir, config.output.path)
  fs.writeFileSync(path.join(outDir, 'index.html'), INDEX_HTML)
  return outDir
}
