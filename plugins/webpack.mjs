// `import unbrick from 'wasm-unbrick/webpack'` (or `require('wasm-unbrick/webpack').default`)
// → `plugins: [unbrick(options)]`
import { unplugin } from './unplugin.mjs'

export default unplugin.webpack
