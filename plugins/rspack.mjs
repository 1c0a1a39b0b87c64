// `import unbrick from 'wasm-unbrick/rspack'` (or `require('wasm-unbrick/rspack').default`)
// → `plugins: [unbrick(options)]`
import { unplugin } from './unplugin.mjs'

export default unplugin.rspack
