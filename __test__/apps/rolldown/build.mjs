// Builds the app of a project made by makeProject('rolldown', ...) with
// rolldown's JS API: the project's rolldown.config.mjs (the README snippet),
// or that configuration with `unplugin.rolldown(pluginOptions)` in place of
// its plugin. Writes index.html beside the bundle (rolldown makes no page),
// so that the output directory can be served as it is. Rolldown's warnings
// go to `warnings`.
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export const INDEX_HTML =
  '<!doctype html><meta charset="utf-8"><title>wasm-unbrick rolldown app</title><script type="module" src="./main.js"></script>\n'

/** Resolves to the output directory. */
export async function build(projectDir, pluginOptions, { warnings = [] } = {}) {
  const { rolldown } = await import('rolldown')
  const { default: config } = await import(pathToFileURL(path.join(projectDir, 'rolldown.config.mjs')).href)
  const { unplugin } = await import('wasm-unbrick/unplugin')
  const plugins =
    pluginOptions === undefined
      ? config.plugins
      : config.plugins.map((p) => (p.name === 'wasm-unbrick' ? unplugin.rolldown(pluginOptions) : p))
  const outDir = path.resolve(projectDir, config.output.dir)
  fs.rmSync(outDir, { recursive: true, force: true })
  const bundle = await rolldown({ ...config, plugins, onwarn: (w) => warnings.push(w.message) })
  try {
    await bundle.write(config.output)
  } finally {
    await bundle.close()
  }
  fs.writeFileSync(path.join(outDir, 'index.html'), INDEX_HTML)
  return outDir
}
