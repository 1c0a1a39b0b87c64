import { errorOf, webTarget } from './common.mjs'

const ABI = {
  parameters: [
    { name: 'x', type: { kind: 'field' }, visibility: 'private' },
    { name: 'arr', type: { kind: 'array', length: 2, type: { kind: 'integer', sign: 'unsigned', width: 8 } }, visibility: 'public' },
    { name: 's', type: { kind: 'string', length: 3 }, visibility: 'private' },
    { name: 'b', type: { kind: 'boolean' }, visibility: 'private' },
  ],
  return_type: { abi_type: { kind: 'field' }, visibility: 'public' },
  error_types: {
    9: { error_kind: 'fmtstring', length: 3, item_types: [{ kind: 'field' }] },
    10: { error_kind: 'string', string: 'bad input' },
  },
}

async function noirSmoke(m) {
  const witness = m.abiEncode(ABI, { x: '0x05', arr: [1, 2], s: 'abc', b: true }, '0x07')
  return {
    witness: Object.fromEntries(witness),
    decoded: m.abiDecode(ABI, witness),
    serialized: Buffer.from(m.serializeWitness(witness)).toString('hex'),
    fmtError: m.abiDecodeError(ABI, { selector: '9', data: ['0x61', '0x62', '0x63', '0x01', '0x2a'] }),
    stringError: m.abiDecodeError(ABI, { selector: '10', data: [] }),
    errors: [
      await errorOf(() => m.abiEncode(ABI, { x: '0x05' })),
      await errorOf(() => m.abiEncode(ABI, { x: '0x05', arr: [1, 300], s: 'abc', b: true })),
      await errorOf(() => m.abiDecode(ABI, new Map())),
    ],
  }
}
const common = {
  name: '@noir-lang/noirc_abi',
  version: '1.0.0-beta.26',
  dir: '.',
  smoke: noirSmoke,
  // A selector that the ABI does not list: `.expect("Missing error type")` panics.
  trap: (m) => m.abiDecodeError(ABI, { selector: '12345', data: [] }),
  fails: 'panic: Missing error type, in abiDecodeError (a selector that the ABI does not list)',
}

export default [
  {
    id: '@noir-lang/noirc_abi (nodejs)',
    ...common,
    inspect: 'nodejs',
    layout: 'wasm-pack nodejs in nodejs/',
    load: (ctx) => ctx.require('nodejs/noirc_abi_wasm.js'),
  },
  {
    id: '@noir-lang/noirc_abi (web)',
    ...common,
    inspect: 'web',
    layout: 'wasm-pack web in web/, loaded with initSync',
    load: webTarget('web/noirc_abi_wasm.js', 'web/noirc_abi_wasm_bg.wasm'),
  },
]
