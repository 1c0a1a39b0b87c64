import { errorOf, webTarget } from './common.mjs'

// node/index.js and web/index.js also load the client helpers, which need the
// @iota/sdk-wasm peer dependency and @noble/ed25519 (not in the tarball): the
// specs load the wasm-bindgen modules themselves (node/identity_wasm.js,
// web/identity_wasm.js), which is where every class of the API comes from.
async function identitySmoke(m) {
  const did = m.IotaDID.parse(`did:iota:smr:0x${'ab'.repeat(32)}`)
  const credential = new m.Credential({
    id: 'https://example.edu/credentials/3732',
    type: 'UniversityDegreeCredential',
    issuer: 'did:example:issuer',
    issuanceDate: m.Timestamp.parse('2020-01-01T00:00:00Z'),
    credentialSubject: { id: 'did:example:subject', degree: 'BSc' },
  })
  const bitmap = new m.RevocationBitmap()
  bitmap.revoke(5)
  return {
    did: [did.network(), did.tag(), m.IotaDID.placeholder('smr').toString()],
    alias: m.IotaDID.fromAliasId(`0x${'12'.repeat(32)}`, 'smr').toString(),
    url: m.DIDUrl.parse('did:example:123#key-1').fragment(),
    time: m.Timestamp.parse('2020-01-01T00:00:00Z').checkedAdd(m.Duration.days(3)).toRFC3339(),
    credential: credential.toJSON(),
    document: new m.CoreDocument({ id: 'did:example:123' }).toJSON(),
    bitmap: [bitmap.isRevoked(5), bitmap.isRevoked(6), bitmap.len()],
    errors: [await errorOf(() => m.CoreDID.parse('nope')), await errorOf(() => new m.StatusList2021(8))],
  }
}
// An alias id that is not 32 bytes of hex: IotaDID::new builds the DID with
// `.expect("DIDs constructed with new should be valid")`, a panic.
const identityTrap = (m) => m.IotaDID.fromAliasId('0x12', 'smr')
const identityStale = { make: (m) => new m.RevocationBitmap(), use: (bitmap) => bitmap.isRevoked(1) }

const common = {
  name: '@iota/identity-wasm',
  version: '1.5.1',
  smoke: identitySmoke,
  trap: identityTrap,
  fails: "panic: 'DIDs constructed with new should be valid: InvalidMethodId' in IotaDID.fromAliasId('0x12')",
  stale: identityStale,
}

export default [
  {
    ...common,
    id: '@iota/identity-wasm (node)',
    dir: '.',
    inspect: 'node',
    layout: 'wasm-pack nodejs in node/, beside hand-written client helpers',
    load: (ctx) => ctx.require('node/identity_wasm.js'),
  },
  {
    ...common,
    id: '@iota/identity-wasm (web)',
    dir: '.',
    inspect: 'web',
    layout: 'wasm-pack web in web/, loaded with initSync',
    load: webTarget('web/identity_wasm.js', 'web/identity_wasm_bg.wasm'),
  },
]
