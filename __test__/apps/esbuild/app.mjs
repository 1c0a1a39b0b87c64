// Builds the app of a project made by makeProject('esbuild', ...) with
// esbuild's JS API, in this process: the options of build.mjs (the README
// snippet, which esbuild has instead of a configuration file; the tests
// check that both give the same files), with `unbrick(pluginOptions)` as
// its plugins when pluginOptions is given. Empties the output directory
// first and writes index.html beside the bundle (esbuild makes no page), so
// that it can be served as it is. A build error rejects; esbuild's warnings
// go to `warnings`.
import fs from 'node:fs'
import path from 'node:path'

export const INDEX_HTML =
  '<!doctype html><meta charset="utf-8"><title>wasm-unbrick esbuild app</title><script type="module" src="./main.js"></script>\n'

/** The plugin options of build.mjs. */
export const SNIPPET_OPTIONS = { policy: 'lazy' }

/** build.mjs's esbuild options for the project in projectDir, with unbrick(pluginOptions) and `overrides` on top. */
export async function esbuildOptions(projectDir, pluginOptions = SNIPPET_OPTIONS, overrides = {}) {
  const { default: unbrick } = await import('wasm-unbrick/esbuild')
  return {
    absWorkingDir: projectDir,
    entryPoints: ['main.js'],
    bundle: true,
    format: 'esm',
    outdir: 'dist',
    plugins: [unbrick(pluginOptions)],
    logLevel: 'silent',
    ...overrides,
  }
}

/** Resolves to the output directory. */
export async function build(projectDir, pluginOptions, { warnings = [] } = {}) {
  const esbuild = await import('esbuild')
  const options = await esbuildOptions(projectDir, pluginOptions)
  const outDir = path.resolve(projectDir, options.outdir)
  fs.rmSync(outDir, { recursive: true, force: true })
  const result = await esbuild.build(options)
  for (const w of result.warnings) warnings.push(w.text)
  fs.writeFileSync(path.join(outDir, 'index.html'), INDEX_HTML)
  return outDir
}
