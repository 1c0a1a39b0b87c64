// `import unbrick from 'wasm-unbrick/esbuild'` → `esbuild.build({ ..., plugins: [unbrick(options)] })`
import { unplugin } from './unplugin.mjs'

export default unplugin.esbuild
