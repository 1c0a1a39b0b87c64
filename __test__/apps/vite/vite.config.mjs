// README "Integrations → Vite" (kept in sync by __test__/plugins.test.mjs)
import { defineConfig } from 'vite'
import unbrick from 'wasm-unbrick/vite'

export default defineConfig({
  plugins: [unbrick({ policy: 'lazy' })],
})
