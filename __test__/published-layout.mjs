// An npm package laid out as many published ones are, made with esbuild
// (and rolldown for the UMD) from the fixture's web-target output: the glue
// bundled into dist/index.cjs, dist/index.mjs, a minified IIFE
// dist/index.min.js (a classic script defining the global `Bricked`) and a
// minified UMD dist/index.umd.js, the module at the package root as
// bricked_bg.wasm, and an `initialize(bytes)` that the user calls with the
// module's bytes.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import vm from 'node:vm'
import { build } from 'esbuild'
import { rolldown } from 'rolldown'

const require = createRequire(import.meta.url)

export const ENTRIES = ['dist/index.cjs', 'dist/index.mjs', 'dist/index.min.js', 'dist/index.umd.js']
/** Entries with the module inlined in base64 (esbuild's base64 loader): one copy of the module each. */
export const INLINE_ENTRIES = ['dist/inline.mjs']
/** A classic script with the glue at its top level and the module inlined: not recognised, so left alone. */
export const PLAIN_SCRIPT = 'dist/plain.js'
export const GLOBAL_NAME = 'Bricked'

const INDEX = `import { initSync } from './bricked.js'
export * from './bricked.js'
/** The package's own API: the module's bytes in, an instance ready. */
export function initialize(bytes) {
  initSync({ module: bytes })
}
`

const INLINE_INDEX = `import { initSync } from './bricked.js'
import base64 from './bricked_bg.wasm'
export * from './bricked.js'
/** The module travels in the bundle; initialize() takes no bytes. */
export function initialize() {
  initSync({ module: Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)) })
}
`

/** Writes the package into `dir` (which must not exist) from the web-target output in `webDir`. */
export async function buildPublishedPackage(webDir, dir) {
  const src = `${dir}.src`
  fs.cpSync(webDir, src, { recursive: true })
  fs.writeFileSync(path.join(src, 'index.js'), INDEX)
  const entryPoints = [path.join(src, 'index.js')]
  const common = { entryPoints, bundle: true, logLevel: 'silent' }
  await build({ ...common, format: 'cjs', outfile: path.join(dir, 'dist', 'index.cjs') })
  await build({ ...common, format: 'esm', outfile: path.join(dir, 'dist', 'index.mjs') })
  await build({ ...common, format: 'iife', globalName: GLOBAL_NAME, minify: true, outfile: path.join(dir, 'dist', 'index.min.js') })
  const umd = await rolldown({ input: entryPoints[0], logLevel: 'silent' })
  await umd.write({ format: 'umd', name: GLOBAL_NAME, minify: true, file: path.join(dir, 'dist', 'index.umd.js') })
  fs.writeFileSync(path.join(src, 'inline.js'), INLINE_INDEX)
  const inline = { bundle: true, logLevel: 'silent', entryPoints: [path.join(src, 'inline.js')], loader: { '.wasm': 'base64' } }
  await build({ ...inline, format: 'esm', outfile: path.join(dir, 'dist', 'inline.mjs') })
  // No global name: `(() => { ... })()`, a shape wasm-unbrick does not recognise.
  fs.writeFileSync(
    path.join(src, 'plain.js'),
    "import { initialize, bump } from './inline.js'\ninitialize()\nglobalThis.plainBump = bump\n",
  )
  await build({ ...inline, entryPoints: [path.join(src, 'plain.js')], format: 'iife', outfile: path.join(dir, PLAIN_SCRIPT) })
  fs.copyFileSync(path.join(src, 'bricked_bg.wasm'), path.join(dir, 'bricked_bg.wasm'))
  const manifest = { name: 'bricked-published', version: '1.0.0', main: 'dist/index.cjs', module: 'dist/index.mjs' }
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  fs.rmSync(src, { recursive: true })
  return dir
}

/** Loads `entry` of the package in `dir` as a user would and calls initialize(); returns its exports. */
export async function loadEntry(dir, entry) {
  const file = path.join(dir, entry)
  let m
  if (entry.endsWith('.cjs') || entry.endsWith('.umd.js')) m = require(file)
  else if (entry.endsWith('.mjs')) m = await import(pathToFileURL(file).href)
  else {
    // A classic script, as a page's <script> runs it: its top-level `var` becomes a global.
    vm.runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file })
    m = globalThis[GLOBAL_NAME]
  }
  m.initialize(INLINE_ENTRIES.includes(entry) ? undefined : fs.readFileSync(path.join(dir, 'bricked_bg.wasm')))
  return m
}
