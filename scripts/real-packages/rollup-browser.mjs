import fs from 'node:fs'
import { errorOf } from './common.mjs'

const FILES = {
  'main.js': "import { add } from './lib.js'\nexport default add(1, 2)\n",
  'lib.js': 'export const add = (a, b) => a + b\nexport const unused = 1\n',
}

async function bundle(m, files) {
  const virtual = { name: 'virtual', resolveId: (id) => id.replace('./', ''), load: (id) => files[id] }
  const b = await m.rollup({ input: 'main.js', plugins: [virtual] })
  try {
    return (await b.generate({ format: 'es' })).output[0].code
  } finally {
    await b.close()
  }
}

// The browser build fetches bindings_wasm_bg.wasm beside itself on the first
// rollup() call; Node's fetch has no file: URLs, so they are served from disk.
function serveFileUrls() {
  const realFetch = globalThis.fetch
  globalThis.fetch = async (url, init) => {
    if (!String(url).startsWith('file:')) return realFetch(url, init)
    return new Response(fs.readFileSync(new URL(String(url))), { headers: { 'content-type': 'application/wasm' } })
  }
}

const smoke = async (m) => ({
  version: m.VERSION,
  bundle: await bundle(m, FILES),
  errors: [await errorOf(() => bundle(m, { 'main.js': 'export default = 1' }))],
})
// A module of 1,000 nested array literals: the SWC parser in the Wasm
// recurses once per level and overflows the Rust stack (out of bounds).
const trap = (m) => bundle(m, { 'main.js': `${'['.repeat(1000)}${']'.repeat(1000)}` })
const fails = 'stack overflow: the SWC parser recurses once per nesting level; a module of 1,000 nested [ overflows the Rust stack'

export default [
  {
    id: '@rollup/browser (es)',
    name: '@rollup/browser',
    version: '4.64.10',
    dir: '.',
    inspect: 'dist/es/rollup.browser.js',
    layout: 'wasm-bindgen web glue bundled (minified) into dist/es/rollup.browser.js, wasm beside, fetched on first use',
    load: async (ctx) => {
      serveFileUrls()
      return ctx.import('dist/es/rollup.browser.js')
    },
    smoke,
    trap,
    fails,
  },
  {
    id: '@rollup/browser (umd)',
    name: '@rollup/browser',
    version: '4.64.10',
    dir: '.',
    inspect: 'dist/rollup.browser.js',
    layout: 'wasm-bindgen web glue bundled (minified UMD) into dist/rollup.browser.js, wasm beside, fetched on first use',
    load: (ctx) => {
      serveFileUrls()
      return ctx.require('dist/rollup.browser.js')
    },
    smoke,
    trap,
    fails,
  },
]
