// Builds the app of a project made by makeProject('vite', ...) with vite's
// JS API: the project's vite.config.mjs (the README snippet), or no
// configuration file and `unbrick(pluginOptions)` as the plugins. Vite
// empties the output directory and builds index.html itself. A build error
// rejects; what vite would log as a warning goes to `warnings`.
import path from 'node:path'

/** Resolves to the output directory. */
export async function build(projectDir, pluginOptions, { warnings = [] } = {}) {
  const vite = await import('vite')
  const { default: unbrick } = await import('wasm-unbrick/vite')
  const quiet = () => {}
  const customLogger = {
    info: quiet,
    warn: (message) => warnings.push(message),
    warnOnce: (message) => warnings.includes(message) || warnings.push(message),
    error: quiet,
    clearScreen: quiet,
    hasErrorLogged: () => false,
    hasWarned: false,
  }
  const config =
    pluginOptions === undefined
      ? { configFile: path.join(projectDir, 'vite.config.mjs') }
      : { configFile: false, plugins: [unbrick(pluginOptions)] }
  await vite.build({ root: projectDir, ...config, logLevel: 'silent', customLogger })
  return path.join(projectDir, 'dist')
}
