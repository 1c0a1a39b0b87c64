import { errorOf } from './common.mjs'

const SOURCE = 'def foo (a,b = 1):\n  return {\'x\':a,  "y":b}\nclass C: pass\n'

const ruffFmtSmoke = async (m) => ({
  formatted: m.format(SOURCE, 'a.py', { quote_style: 'single', indent_width: 2 }),
  stub: m.format(SOURCE, 'a.pyi'),
  range: m.format_range(SOURCE, { start: 0, end: 20 }, 'a.py'),
  // Errors are thrown as strings.
  errors: [
    await errorOf(() => m.format('def (:', 'a.py')),
    await errorOf(() => m.format(SOURCE, 'a.py', { quote_style: 'nope' })),
    await errorOf(() => m.format_range(SOURCE, { start: 0, end: 5000 }, 'a.py')),
  ],
})
// A range whose end is before its start: TextRange::new asserts start <= end.
const ruffFmtTrap = (m) => m.format_range(SOURCE, { start: 30, end: 2 }, 'a.py')
const ruffFmtFails = 'panic: assertion start <= end in TextRange::new (format_range with a reversed range)'
const spec = { name: '@wasm-fmt/ruff_fmt', version: '0.15.20', dir: '.', smoke: ruffFmtSmoke, trap: ruffFmtTrap, fails: ruffFmtFails }

export default [
  {
    ...spec,
    id: '@wasm-fmt/ruff_fmt (node)',
    layout: 'wasm-pack bundler glue (ruff_fmt_bg.js) with a hand-written Node loader, ruff_fmt_node.js',
    load: (ctx) => ctx.import('ruff_fmt_node.js'),
  },
  {
    ...spec,
    id: '@wasm-fmt/ruff_fmt (web)',
    layout: 'wasm-pack bundler glue with a hand-written web loader, ruff_fmt_web.js, loaded with initSync',
    load: async (ctx) => {
      const m = await ctx.import('ruff_fmt_web.js')
      m.initSync(ctx.bytes('ruff_fmt_bg.wasm'))
      return m
    },
  },
  {
    ...spec,
    id: '@wasm-fmt/ruff_fmt (bundler)',
    layout: 'wasm-pack bundler: ruff_fmt.js imports ruff_fmt_bg.wasm (ES module integration)',
    flags: { before: ['--experimental-wasm-modules'] },
    load: (ctx) => ctx.import('ruff_fmt.js'),
  },
]
