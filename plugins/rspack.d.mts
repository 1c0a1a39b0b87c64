import type { RspackPluginInstance } from '@rspack/core'
import type { UnbrickPluginOptions } from './unplugin.mjs'

export type { UnbrickPluginOptions }

declare const unbrick: (options?: UnbrickPluginOptions) => RspackPluginInstance
export default unbrick
