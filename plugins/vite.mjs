// `import unbrick from 'wasm-unbrick/vite'` → `plugins: [unbrick(options)]`
import { unplugin } from './unplugin.mjs'

export default unplugin.vite
