import { errorOf, sha } from './common.mjs'

async function automergeSmoke(m) {
  const doc = m.create({ actor: 'aabbccdd' })
  doc.put('/', 'title', 'hello')
  const text = doc.putObject('/', 'text', '')
  doc.splice(text, 0, 0, 'wasm-unbrick')
  doc.putObject('/', 'list', [1, 2, 3])
  doc.commit('first', 0)
  const saved = doc.save()
  const copy = m.load(saved)
  const out = { doc: copy.materialize('/'), heads: doc.getHeads(), saved: sha(saved), text: copy.text(text) }
  // automerge reports errors as RangeError (which is also what a stack overflow in Wasm throws).
  out.errors = [
    await errorOf(() => m.load(Uint8Array.from([0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 0, 0xff, 0xff, 0xff, 0xff, 0x0f]))),
    await errorOf(() => m.create({ actor: 'zz' })),
  ]
  doc.free()
  copy.free()
  return out
}
const automergeTrap = (m) => {
  // 10,000 nested objects: Automerge::subset recurses once per level and overflows the Rust stack.
  const root = {}
  let o = root
  for (let i = 0; i < 10000; i++) o = o.a = {}
  return m.create({ actor: 'aabbccdd' }).putObject('/', 'deep', root)
}
const automergeStale = { make: (m) => m.create({ actor: 'aabbccdd' }), use: (doc) => doc.put('/', 'k', 1) }

export default [
  {
    id: '@automerge/automerge-wasm (nodejs)',
    layout: 'wasm-pack nodejs in nodejs/',
    fails: 'stack overflow: 10,000 nested objects in putObject (memory access out of bounds)',
    name: '@automerge/automerge-wasm',
    version: '0.17.0',
    dir: 'nodejs',
    load: (ctx) => ctx.require('nodejs/automerge_wasm.cjs'),
    smoke: automergeSmoke,
    trap: automergeTrap,
    stale: automergeStale,
  },
  {
    id: '@automerge/automerge-wasm (web)',
    layout: 'wasm-pack web in web/, loaded with initSync',
    fails: 'stack overflow: 10,000 nested objects in putObject (memory access out of bounds)',
    name: '@automerge/automerge-wasm',
    version: '0.17.0',
    dir: 'web',
    load: async (ctx) => {
      const m = await ctx.import('web/automerge_wasm.js')
      m.initSync(ctx.bytes('web/automerge_wasm_bg.wasm')) // 0.2.92: initSync(module), no { module }
      return m
    },
    smoke: automergeSmoke,
    trap: automergeTrap,
    stale: automergeStale,
  },
  {
    id: '@automerge/automerge-wasm (bundler)',
    layout: 'wasm-pack bundler in bundler/',
    fails: 'stack overflow: 10,000 nested objects in putObject (memory access out of bounds)',
    name: '@automerge/automerge-wasm',
    version: '0.17.0',
    dir: 'bundler',
    flags: { before: ['--experimental-wasm-modules'] },
    load: (ctx) => ctx.import('bundler/automerge_wasm.js'),
    smoke: automergeSmoke,
    trap: automergeTrap,
    stale: automergeStale,
  },
]
