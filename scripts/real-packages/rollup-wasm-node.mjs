import { errorOf } from './common.mjs'

const FILES = {
  'main.js': "import { add } from './lib.js'\nexport default add(1, 2)\n",
  'lib.js': 'export const add = (a, b) => a + b\nexport const unused = 1\n',
}
const virtual = (files) => ({ name: 'virtual', resolveId: (id) => id.replace('./', ''), load: (id) => files[id] })

async function bundle(m, files) {
  const b = await m.rollup({ input: 'main.js', plugins: [virtual(files)] })
  try {
    return (await b.generate({ format: 'es' })).output[0].code
  } finally {
    await b.close()
  }
}

// m: rollup's main entry, plus parseAst (from the parser in the Wasm) and the
// bindings' __unbrick.
export const rollupSmoke = async (m) => ({
  version: m.VERSION,
  bundle: await bundle(m, FILES),
  ast: m.parseAst('let a = [1, { b }]'),
  errors: [await errorOf(() => m.parseAst('let = =')), await errorOf(() => bundle(m, { 'main.js': 'export default = 1' }))],
})
// 1,000 nested array literals: SWC's recursive-descent parser overflows the
// Rust stack (in linear memory), an out-of-bounds memory access.
export const rollupTrap = (m) => m.parseAst(`${'['.repeat(1000)}${']'.repeat(1000)}`)
export const rollupFails = 'stack overflow: the SWC parser recurses once per nesting level; 1,000 nested [ overflow the Rust stack'

export default [
  {
    id: '@rollup/wasm-node',
    name: '@rollup/wasm-node',
    version: '4.68.4',
    dir: '.',
    inspect: 'dist/wasm-node',
    layout: 'wasm-pack nodejs in dist/wasm-node, required by rollup (dist/native.js)',
    load: (ctx) => ({
      ...ctx.require('dist/rollup.js'),
      parseAst: ctx.require('dist/parseAst.js').parseAst,
      __unbrick: ctx.require('dist/wasm-node/bindings_wasm.js').__unbrick,
    }),
    smoke: rollupSmoke,
    trap: rollupTrap,
    fails: rollupFails,
  },
]
