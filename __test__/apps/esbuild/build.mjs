// README "Integrations → esbuild" (kept in sync by __test__/bundlers-esbuild.test.mjs)
import * as esbuild from 'esbuild'
import unbrick from 'wasm-unbrick/esbuild'

await esbuild.build({
  entryPoints: ['main.js'],
  bundle: true,
  format: 'esm',
  outdir: 'dist',
  plugins: [unbrick({ policy: 'lazy' })],
})
