import { webTarget } from './common.mjs'
import { swcFails, swcSmoke, swcTrap } from './swc-wasm.mjs'

export default [
  {
    id: '@swc/wasm-web (web)',
    name: '@swc/wasm-web',
    version: '1.16.18',
    dir: '.',
    layout: 'wasm-pack web, loaded with initSync',
    load: webTarget('wasm.js', 'wasm_bg.wasm'),
    smoke: swcSmoke,
    trap: swcTrap,
    fails: swcFails,
  },
]
