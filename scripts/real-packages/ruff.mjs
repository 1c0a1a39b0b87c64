import { errorOf, webTarget } from './common.mjs'

async function ruffSmoke(m) {
  const ws = new m.Workspace(m.Workspace.defaultSettings(), m.PositionEncoding.UTF16)
  try {
    return {
      version: m.Workspace.version(),
      format: ws.format('x = [1,2 ,3]\nimport os\ndef f( a ):\n  return a\n'),
      check: ws.check('import os\nx = 1\n').map((d) => [d.code, d.message, d.start_location]),
      error: await errorOf(() => new m.Workspace({ 'line-length': -1 }, m.PositionEncoding.UTF16)),
    }
  } finally {
    ws.free()
  }
}
const ruffTrap = (m) => {
  // 20,000 nested parentheses: ruff recurses once per level and overflows the stack.
  const ws = new m.Workspace(m.Workspace.defaultSettings(), m.PositionEncoding.UTF16)
  return ws.check(`x = ${'('.repeat(20000)}1${')'.repeat(20000)}\n`)
}
const ruffStale = {
  make: (m) => new m.Workspace(m.Workspace.defaultSettings(), m.PositionEncoding.UTF16),
  use: (ws) => ws.format('y=2\n'),
}

export default [
  {
    id: '@astral-sh/ruff-wasm-nodejs',
    layout: 'wasm-pack nodejs',
    fails: 'stack overflow: 20,000 nested parentheses in Workspace.check (RangeError: Maximum call stack size exceeded)',
    name: '@astral-sh/ruff-wasm-nodejs',
    version: '0.17.4',
    dir: '.',
    load: (ctx) => ctx.require('ruff_wasm.js'),
    smoke: ruffSmoke,
    trap: ruffTrap,
    stale: ruffStale,
  },
  {
    id: '@astral-sh/ruff-wasm-web',
    layout: 'wasm-pack web, loaded with initSync',
    fails: 'stack overflow: 20,000 nested parentheses in Workspace.check (RangeError: Maximum call stack size exceeded)',
    name: '@astral-sh/ruff-wasm-web',
    version: '0.16.9',
    dir: '.',
    load: webTarget('ruff_wasm.js', 'ruff_wasm_bg.wasm'),
    smoke: ruffSmoke,
    trap: ruffTrap,
    stale: ruffStale,
  },
]
