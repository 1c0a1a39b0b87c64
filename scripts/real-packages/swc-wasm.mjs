import { errorOf, sha } from './common.mjs'

const ts = 'enum Color { Red, Green }\nexport const pick = (x?: { y: number }): number => x?.y ?? Color.Green\n'
export const swcSmoke = async (m) => {
  const transformed = m.transformSync(ts, { jsc: { parser: { syntax: 'typescript' }, target: 'es5' } }).code
  const minified = m.minifySync('function add(first, second) { return first + second }\nconsole.log(add(1, 2))', {
    compress: true,
    mangle: true,
  }).code
  const printed = m.printSync(m.parseSync('const a = { b: [1, 2, 3] }', { syntax: 'ecmascript' }), {}).code
  return {
    transformed: sha(transformed),
    minified,
    printed,
    errors: [
      await errorOf(() => m.parseSync('let = = 1', { syntax: 'ecmascript' })),
      await errorOf(() => m.transformSync('x', { jsc: { parser: { syntax: 'nope' } } })),
    ],
  }
}
// 2,000 nested array literals: the recursive-descent parser overflows the
// Rust stack (1 MiB in linear memory), an out-of-bounds memory access.
export const swcTrap = (m) => m.parseSync(`${'['.repeat(2000)}${']'.repeat(2000)}`, { syntax: 'ecmascript' })
export const swcFails = 'stack overflow: the parser recurses once per nesting level; 2,000 nested [ overflow the 1 MiB Rust stack'

export default [
  {
    id: '@swc/wasm (nodejs)',
    name: '@swc/wasm',
    version: '1.16.21',
    dir: '.',
    layout: 'wasm-pack nodejs',
    load: (ctx) => ctx.require('wasm.js'),
    smoke: swcSmoke,
    trap: swcTrap,
    fails: swcFails,
  },
]
