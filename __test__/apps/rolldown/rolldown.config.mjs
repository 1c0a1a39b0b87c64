// README "Integrations → Rolldown" (kept in sync by __test__/bundlers-rollup-rspack.test.mjs)
import { fileURLToPath } from 'node:url'
import { unplugin } from 'wasm-unbrick/unplugin'

export default {
  input: fileURLToPath(new URL('./main.js', import.meta.url)),
  output: { dir: fileURLToPath(new URL('./dist/', import.meta.url)), format: 'es' },
  plugins: [unplugin.rolldown({ policy: 'lazy' })],
}
