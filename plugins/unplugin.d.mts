import type { UnpluginInstance } from 'unplugin'
import type { Analysis, Options } from '../index.js'

/** A RegExp, a glob (matched against the absolute path with `/` separators; a relative glob matches at any depth), or a function. */
export type FilterPattern = RegExp | string | ((id: string) => boolean) | Array<RegExp | string | ((id: string) => boolean)>

/** The patch options of the CLI and the JS API (but `outDir`/`dryRun`), and the plugin's own. */
export interface UnbrickPluginOptions extends Omit<Options, 'outDir' | 'dryRun'> {
  /** Packages to patch, matched against the path of their glue file (`.../x.js`). Default: every wasm-bindgen package. */
  include?: FilterPattern
  /** Packages to leave alone, matched like `include`. */
  exclude?: FilterPattern
  /**
   * A package wasm-unbrick cannot patch (an unknown glue shape, ...):
   * `'warn'` (default) builds it unpatched with a warning, `'error'` fails
   * the build, `'ignore'` builds it unpatched silently.
   */
  onUnsupported?: 'warn' | 'error' | 'ignore'
  /** Vite: keep the project's wasm-bindgen dependencies out of dependency pre-bundling (default true). */
  optimizeDepsExclude?: boolean
  /**
   * esbuild: how the bundle carries each patched `.wasm` (and the
   * exception-handling variants of a panic=unwind module), with esbuild's
   * loader of that name. `'file'` (default) copies it into the output
   * directory under `assetNames` (`x_bg.unbrick-<hash>.wasm`), fetched from
   * `new URL(..., import.meta.url)` (needs `format: 'esm'`); `'dataurl'`
   * inlines it into the bundle as a `data:application/wasm` URL. Other
   * bundlers emit the `.wasm` themselves and ignore it.
   */
  wasmLoader?: 'file' | 'dataurl'
  /** Called once per package and content the first time it is patched. */
  onPatched?: (info: { dir: string; entry: string; status: 'patched' | 'already-patched'; files: string[]; analysis: Analysis }) => void
}

export declare const unplugin: UnpluginInstance<UnbrickPluginOptions | undefined, false>
export default unplugin
