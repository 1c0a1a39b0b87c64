import { errorOf, sha } from './common.mjs'

const NAME = '@automerge/automerge'
const VERSION = '3.5.0'

async function automergeSmoke(A) {
  const opts = { time: 0, message: 'first' }
  let doc = A.init({ actor: 'aabbccdd' })
  doc = A.change(doc, opts, (d) => {
    d.title = 'hello'
    d.text = 'wasm-unbrick'
    d.list = [1, 2, 3]
    d.nested = { a: { b: [true, null, 'c'] } }
  })
  doc = A.change(doc, { time: 0 }, (d) => {
    A.splice(d, ['text'], 0, 0, 'Hello, ')
    d.list.push(4)
  })
  const saved = A.save(doc)
  const copy = A.load(saved)
  const out = {
    doc: A.toJS(copy),
    heads: A.getHeads(doc),
    saved: sha(saved),
    history: A.getHistory(copy).map((s) => s.change.message),
    actor: A.getActorId(doc),
    errors: [
      await errorOf(() => A.load(Uint8Array.from([0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 0, 0xff, 0xff, 0xff, 0xff, 0x0f]))),
      await errorOf(() => A.init({ actor: 'zz' })),
      await errorOf(() => A.change(doc, (d) => d.list.insertAt(100, 1))),
    ],
  }
  return out
}
const automergeTrap = (A) => {
  // A map nested 3,000 deep, put in one assignment: the recursive import in
  // putObject overflows the Rust shadow stack (memory access out of bounds).
  let value = { leaf: 1 }
  for (let i = 0; i < 3000; i++) value = { value }
  return A.change(A.init({ actor: 'aabbccdd' }), { time: 0 }, (d) => {
    d.deep = value
  })
}
const automergeStale = {
  // A document made before the abort; saving it needs its handle in the dead instance.
  make: (A) => ({ A, doc: A.from({ before: true }, { actor: 'aabbccdd' }) }),
  use: ({ A, doc }) => A.save(doc),
}
const common = {
  name: NAME,
  version: VERSION,
  dir: '.',
  smoke: automergeSmoke,
  trap: automergeTrap,
  fails: 'stack overflow: a map nested 3,000 deep, imported recursively by putObject in Automerge.change (memory access out of bounds)',
  stale: automergeStale,
}

export default [
  {
    id: '@automerge/automerge (node import)',
    ...common,
    inspect: 'dist/mjs/wasm_bindgen_output/nodejs',
    layout: 'wasm-bindgen nodejs output in dist/mjs/wasm_bindgen_output/nodejs/, imported by dist/mjs/entrypoints/fullfat_node.js',
    load: async (ctx) => {
      const A = await ctx.import('dist/mjs/entrypoints/fullfat_node.js')
      // The wrapper does not re-export the glue: the handle is on the glue module (the same instance, from the require cache).
      return { ...A, __unbrick: ctx.require('dist/mjs/wasm_bindgen_output/nodejs/automerge_wasm.cjs').__unbrick }
    },
  },
  {
    id: '@automerge/automerge (node require)',
    ...common,
    inspect: 'dist/cjs/fullfat_node.cjs',
    layout: 'bundled (esbuild) into dist/cjs/fullfat_node.cjs, wasm beside',
    load: (ctx) => ctx.require('dist/cjs/fullfat_node.cjs'),
  },
  {
    id: '@automerge/automerge (base64 import)',
    ...common,
    inspect: 'dist/mjs/wasm_bindgen_output/web',
    layout: 'wasm-bindgen web output in dist/mjs/wasm_bindgen_output/web/, wasm inlined as base64 (automerge_wasm_bg_base64.js)',
    load: async (ctx) => {
      const A = await ctx.import('dist/mjs/entrypoints/fullfat_base64.js')
      return { ...A, __unbrick: (await ctx.import('dist/mjs/wasm_bindgen_output/web/index.js')).__unbrick }
    },
  },
]
