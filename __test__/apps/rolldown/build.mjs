// Builds the app of a project made by makeProject('rolldown', ...) with
// rolldown's JS API (rollup's, so through ../rollup/build.mjs): the project's
// rolldown.config.mjs (the README snippet), or that configuration with
// `unplugin.rolldown(pluginOptions)` in place of its plugin.
import { bundleWith } from '../rollup/build.mjs'

/** Resolves to the output directory. */
export async function build(projectDir, pluginOptions, options) {
  const { rolldown } = await import('rolldown')
  const { unplugin } = await import('wasm-unbrick/unplugin')
  return bundleWith(rolldown, 'rolldown.config.mjs', unplugin.rolldown, projectDir, pluginOptions, options)
}
