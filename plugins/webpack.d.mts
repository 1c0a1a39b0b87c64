import type { WebpackPluginInstance } from 'webpack'
import type { UnbrickPluginOptions } from './unplugin.mjs'

export type { UnbrickPluginOptions }

declare const unbrick: (options?: UnbrickPluginOptions) => WebpackPluginInstance
export default unbrick
