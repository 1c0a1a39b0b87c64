import { errorOf, sha } from './common.mjs'

async function ywasmSmoke(m) {
  const doc = new m.YDoc({ clientID: 1 })
  const text = doc.getText('text')
  text.insert(0, 'Hello, wasm-unbrick!')
  text.format(0, 5, { bold: true })
  const arr = doc.getArray('list')
  arr.insert(0, [1, 'two', { three: 3 }])
  doc.getMap('map').set('key', 'value')
  const update = m.encodeStateAsUpdate(doc)
  const copy = new m.YDoc({ clientID: 2 })
  m.applyUpdate(copy, update)
  const out = {
    text: copy.getText('text').toString(),
    delta: copy.getText('text').toDelta(),
    list: copy.getArray('list').toJson(),
    map: copy.getMap('map').toJson(),
    update: sha(update),
    stateVector: Array.from(m.encodeStateVector(copy)),
    errors: [
      // ywasm throws its errors as strings, from a Result.
      await errorOf(() => arr.get(10)),
      await errorOf(() => m.applyUpdate(copy, Uint8Array.from([1, 1, 255, 255, 255, 255, 15, 0]))),
    ],
  }
  doc.free()
  copy.free()
  return out
}
const ywasmTrap = (m) => {
  // yrs panics when asked to remove more characters than the text has.
  const doc = new m.YDoc({ clientID: 3 })
  const text = doc.getText('text')
  text.insert(0, 'hello')
  return text.delete(3, 100)
}
const ywasmStale = {
  make: (m) => {
    const doc = new m.YDoc({ clientID: 4 })
    doc.getText('text').insert(0, 'before')
    return doc
  },
  use: (doc) => doc.getText('text').toString(),
}

export default [
  {
    id: 'ywasm',
    name: 'ywasm',
    version: '0.18.3',
    dir: '.',
    layout: 'wasm-pack nodejs',
    load: (ctx) => ctx.require('ywasm.js'),
    smoke: ywasmSmoke,
    trap: ywasmTrap,
    fails: "panic: Couldn't remove 100 elements from an array in YText.delete past the end (yrs/src/types/text.rs)",
    stale: ywasmStale,
  },
]
