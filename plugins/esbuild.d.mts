import type { Plugin } from 'esbuild'
import type { UnbrickPluginOptions } from './unplugin.mjs'

export type { UnbrickPluginOptions }

declare const unbrick: (options?: UnbrickPluginOptions) => Plugin
export default unbrick
