// README "Integrations → Rspack" (kept in sync by __test__/bundlers-rollup-rspack.test.mjs)
import { fileURLToPath } from 'node:url'
import unbrick from 'wasm-unbrick/rspack'

export default {
  mode: 'production',
  entry: './main.js',
  output: { path: fileURLToPath(new URL('./dist/', import.meta.url)), clean: true },
  plugins: [unbrick({ policy: 'lazy' })],
}
