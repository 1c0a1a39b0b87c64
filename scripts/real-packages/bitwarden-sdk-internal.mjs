import { errorOf } from './common.mjs'

const NAME = '@bitwarden/sdk-internal'
// The wasm build of the Bitwarden SDK that the Bitwarden clients use (there is no @bitwarden/sdk-wasm on npm).
const VERSION = '0.2.0-main.1054'

const bytes = (text) => new TextEncoder().encode(text)

async function bitwardenSmoke(b) {
  const P = b.PureCrypto
  // A fixed 64-byte AES-256-CBC-HMAC key: encryption uses a random IV, so only round trips are compared.
  const key = new Uint8Array(64).fill(7)
  const secret = P.symmetric_encrypt_string('Hello, wasm-unbrick!', key)
  const wrapped = P.wrap_symmetric_key(new Uint8Array(64).fill(9), key)
  const kdf = P.derive_kdf_material(bytes('password'), bytes('user@example.com'), { pBKDF2: { iterations: 5000 } })
  return {
    kdf: Buffer.from(kdf).toString('hex'),
    encType: secret.split('.')[0],
    decrypted: P.symmetric_decrypt_string(secret, key),
    bytesRoundTrip: Array.from(P.symmetric_decrypt_bytes(P.symmetric_encrypt_bytes(Uint8Array.of(1, 2, 3), key), key)),
    unwrapped: P.unwrap_symmetric_key(wrapped, key).every((x) => x === 9),
    userKey: P.make_user_key_aes256_cbc_hmac().length,
    guid: /^[0-9a-f-]{36}$/.test(P.new_guid()),
    fixedRange: P.random_number(5, 5),
    errors: [
      await errorOf(() => P.symmetric_decrypt_string('2.abc|def|ghi', key)),
      await errorOf(() => P.symmetric_encrypt_string('hi', new Uint8Array(5))),
      await errorOf(() => b.import_ssh_key('not a key')),
      await errorOf(() => P.derive_kdf_material(bytes('p'), bytes('s'), { pBKDF2: { iterations: 0 } })),
    ],
  }
}
const common = {
  name: NAME,
  version: VERSION,
  dir: '.',
  smoke: bitwardenSmoke,
  // An empty range (min > max): rand's gen_range panics ('cannot sample empty range').
  trap: (b) => b.PureCrypto.random_number(10, 1),
  fails: 'panic: cannot sample empty range, in PureCrypto.random_number(10, 1)',
  stale: { make: (b) => new b.SdkRandomNumberClient(), use: (client) => client.gen_uuid() },
}

export default [
  {
    id: '@bitwarden/sdk-internal (node)',
    ...common,
    inspect: 'node',
    layout: 'wasm-pack nodejs in node/',
    load: (ctx) => ctx.require('node/bitwarden_wasm_internal.js'),
  },
  {
    id: '@bitwarden/sdk-internal (bundler)',
    ...common,
    inspect: 'bitwarden_wasm_internal.js',
    layout: 'wasm-pack bundler at the root (beside a wasm2js fallback, bitwarden_wasm_internal_bg.wasm.js)',
    flags: { before: ['--experimental-wasm-modules'] },
    load: (ctx) => ctx.import('bitwarden_wasm_internal.js'),
  },
]
