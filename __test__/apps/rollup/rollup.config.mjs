// README "Integrations → Rollup" (kept in sync by __test__/bundlers-rollup-rspack.test.mjs)
import { fileURLToPath } from 'node:url'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import unbrick from 'wasm-unbrick/rollup'

export default {
  input: fileURLToPath(new URL('./main.js', import.meta.url)),
  output: { dir: fileURLToPath(new URL('./dist/', import.meta.url)), format: 'es' },
  plugins: [nodeResolve({ browser: true }), unbrick({ policy: 'lazy' })],
}
