import { errorOf } from './common.mjs'

async function cslSmoke(m) {
  const key = m.PrivateKey.from_normal_bytes(Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1))
  const pub = key.to_public()
  const credential = m.Credential.from_keyhash(pub.hash())
  const address = m.EnterpriseAddress.new(m.NetworkInfo.testnet_preprod().network_id(), credential).to_address()
  const coin = m.BigNum.from_str('1500000').checked_add(m.BigNum.from_str('250000'))
  const output = m.TransactionOutput.new(address, m.Value.new(coin))
  const outputs = m.TransactionOutputs.new()
  outputs.add(output)
  const signature = key.sign(new TextEncoder().encode('Hello, wasm-unbrick!'))
  return {
    publicKey: pub.to_bech32(),
    address: address.to_bech32('addr_test'),
    coin: coin.to_str(),
    output: output.to_hex(),
    outputs: [outputs.len(), outputs.to_hex()],
    signature: signature.to_hex(),
    verified: pub.verify(new TextEncoder().encode('Hello, wasm-unbrick!'), signature),
    parsed: m.Address.from_bech32(address.to_bech32('addr_test')).to_hex(),
    errors: [
      // CSL throws its errors as strings, from a Result.
      await errorOf(() => m.BigNum.from_str('abc')),
      await errorOf(() => m.BigNum.from_str('18446744073709551615').checked_add(m.BigNum.one())),
      await errorOf(() => m.Address.from_bech32('addr_test1nope')),
    ],
  }
}

export default [
  {
    id: '@emurgo/cardano-serialization-lib-nodejs',
    name: '@emurgo/cardano-serialization-lib-nodejs',
    version: '15.0.3',
    dir: '.',
    layout: 'wasm-pack nodejs',
    load: (ctx) => ctx.require('cardano_serialization_lib.js'),
    smoke: cslSmoke,
    // The collections' get(index) index a Vec without a check: a panic when out of range.
    trap: (m) => m.TransactionOutputs.new().get(5),
    fails: 'panic: index out of bounds in TransactionOutputs.get (index 5 of an empty list)',
    stale: { make: (m) => m.TransactionOutputs.new(), use: (outputs) => outputs.len() },
  },
]
