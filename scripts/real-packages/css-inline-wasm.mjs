import { errorOf } from './common.mjs'

const HTML = '<html><head><style>h1 { color:blue; } .x{margin:0} @media (max-width: 600px) { h1 { color: red } }</style></head>'
const cssInlineSmoke = async (m) => ({
  version: m.version(),
  inlined: m.inline(`${HTML}<body><h1 class="x">Big Text</h1><p>p</p></body></html>`, { keepAtRules: true }),
  fragment: m.inlineFragment('<main><h1>Hello</h1></main>', 'h1 { color: red; }'),
  errors: [
    await errorOf(() => m.inline('<h1>x</h1>', { baseUrl: 'not a url' })),
    await errorOf(() => m.inline('<h1>x</h1>', { minifyCss: 'yes' })),
  ],
})
// Vec::with_capacity(4294967295 nodes) in the document builder: capacity overflow.
const cssInlineTrap = (m) => m.inline('<h1>x</h1>', { preallocateNodeCapacity: 4294967295 })
const cssInlineFails = 'panic: capacity overflow in Vec::with_capacity (preallocateNodeCapacity: 4294967295)'
const load = (entry) => async (ctx) => {
  const m = entry.endsWith('.mjs') ? await ctx.import(entry) : ctx.require(entry)
  await m.initWasm({ module_or_path: ctx.bytes('index_bg.wasm') })
  return m
}
const spec = {
  name: '@css-inline/css-inline-wasm',
  version: '0.21.2',
  dir: '.',
  smoke: cssInlineSmoke,
  trap: cssInlineTrap,
  fails: cssInlineFails,
}

export default [
  {
    ...spec,
    id: '@css-inline/css-inline-wasm (cjs)',
    layout: 'wasm-bindgen web glue bundled (esbuild) into index.js (CommonJS), wasm beside, loaded with initWasm',
    load: load('index.js'),
  },
  {
    ...spec,
    id: '@css-inline/css-inline-wasm (esm)',
    layout: 'wasm-bindgen web glue bundled (esbuild) into index.mjs, wasm beside, loaded with initWasm',
    load: load('index.mjs'),
  },
]
