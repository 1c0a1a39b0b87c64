import { errorOf, sha, webTarget } from './common.mjs'

const NAME = 'loro-crdt'
const VERSION = '1.17.1'

async function loroSmoke(m) {
  const doc = new m.LoroDoc()
  doc.setPeerId(1n)
  const text = doc.getText('text')
  text.insert(0, 'Hello, wasm-unbrick!')
  text.mark({ start: 0, end: 5 }, 'bold', true)
  const list = doc.getList('list')
  list.insert(0, 1)
  list.insert(1, 'two')
  doc.getMap('map').set('nested', { a: [1, 2, 3] })
  doc.commit({ message: 'first' })
  const snapshot = doc.export({ mode: 'snapshot' })
  const copy = new m.LoroDoc()
  copy.import(snapshot)
  const out = {
    json: copy.toJSON(),
    delta: copy.getText('text').toDelta(),
    frontiers: doc.frontiers(),
    vv: Object.fromEntries(doc.version().toJSON()),
    snapshot: sha(snapshot),
    version: m.LORO_VERSION(),
    errors: [
      // Loro throws its errors as strings (or Error objects), from a Result.
      await errorOf(() => text.insert(1000, 'x')),
      await errorOf(() => copy.import(Uint8Array.from([0x6c, 0x6f, 0x72, 0x6f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))),
      await errorOf(() => new m.VersionVector(new Map([['not a peer', 1]]))),
    ],
  }
  doc.free()
  copy.free()
  return out
}
const loroTrap = (m) => {
  // A value nested 100,000 arrays deep: the recursive conversion to a LoroValue
  // overflows the Rust shadow stack (memory access out of bounds).
  let value = 1
  for (let i = 0; i < 100_000; i++) value = [value]
  const doc = new m.LoroDoc()
  return doc.getMap('map').set('deep', value)
}
const loroStale = {
  make: (m) => {
    const doc = new m.LoroDoc()
    doc.getText('text').insert(0, 'before')
    return doc
  },
  use: (doc) => doc.getText('text').toString(),
}
const common = {
  name: NAME,
  version: VERSION,
  smoke: loroSmoke,
  trap: loroTrap,
  fails: 'stack overflow: a value nested 100,000 arrays deep, converted recursively in LoroMap.set (memory access out of bounds)',
  stale: loroStale,
}

export default [
  {
    id: 'loro-crdt (nodejs)',
    ...common,
    dir: '.',
    inspect: 'nodejs',
    layout: 'wasm-pack nodejs in nodejs/, wrapped by nodejs/index.js',
    load: (ctx) => ctx.require('nodejs/index.js'),
  },
  {
    id: 'loro-crdt (web)',
    ...common,
    dir: '.',
    inspect: 'web',
    layout: 'wasm-pack web in web/, wrapped by web/index.js, loaded with initSync',
    load: webTarget('web/index.js', 'web/loro_wasm_bg.wasm'),
  },
  {
    id: 'loro-crdt (base64)',
    ...common,
    dir: '.',
    inspect: 'base64/index.js',
    layout: 'bundled (rollup) into base64/index.js, wasm inlined as base64',
    load: (ctx) => ctx.import('base64/index.js'),
  },
]
