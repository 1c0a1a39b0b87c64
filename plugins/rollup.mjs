// `import unbrick from 'wasm-unbrick/rollup'` → `plugins: [unbrick(options)]`
import { unplugin } from './unplugin.mjs'

export default unplugin.rollup
