import type { UnpluginInstance } from 'unplugin'
import type { Analysis } from '../index.js'

/** A RegExp, a glob (matched against the absolute path with `/` separators; a relative glob matches at any depth), or a function. */
export type FilterPattern = RegExp | string | ((id: string) => boolean) | Array<RegExp | string | ((id: string) => boolean)>

export interface UnbrickPluginOptions {
  /** Packages to patch, matched against the path of their glue file (`.../x.js`). Default: every wasm-bindgen package. */
  include?: FilterPattern
  /** Packages to leave alone, matched like `include`. */
  exclude?: FilterPattern
  /** When an aborted instance is re-created (default `'lazy'`). */
  policy?: 'lazy' | 'eager' | 'manual'
  /** Aborts tolerated within `windowMs` before giving up (default 5). */
  maxAborts?: number
  /** Length of the abort-counting window in milliseconds (default 10000). */
  windowMs?: number
  /**
   * For a module built with panic=unwind, the exception-handling variant the
   * glue loads: `'auto'` (default: the best the engine supports, probed at
   * run time; every variant is emitted), or `'modern'`, `'legacy'`, `'none'`.
   */
  ehMode?: 'auto' | 'modern' | 'legacy' | 'none'
  /**
   * A package wasm-unbrick cannot patch (an unknown glue shape, ...):
   * `'warn'` (default) builds it unpatched with a warning, `'error'` fails
   * the build, `'ignore'` builds it unpatched silently.
   */
  onUnsupported?: 'warn' | 'error' | 'ignore'
  /** Vite: keep the project's wasm-bindgen dependencies out of dependency pre-bundling (default true). */
  optimizeDepsExclude?: boolean
  /** Called once per package and content the first time it is patched. */
  onPatched?: (info: { dir: string; glue: string; status: 'patched' | 'already-patched'; files: string[]; analysis: Analysis }) => void
}

export declare const unplugin: UnpluginInstance<UnbrickPluginOptions | undefined, false>
export default unplugin
