import { errorOf } from './common.mjs'

const KEY = () => Buffer.from('0123456789abcdef0123456789abcdef')

async function blake3Smoke(b) {
  const hasher = b.createHash()
  hasher.update('Hello, ')
  hasher.update('wasm-unbrick!')
  const reader = b.createHash().update('xof').reader()
  reader.position = 1000n
  const out = {
    hash: b.hash('Hello, wasm-unbrick!').toString('hex'),
    long: b.hash('Hello, wasm-unbrick!', { length: 64 }).toString('hex'),
    derived: b.deriveKey('wasm-unbrick 2024 test context', 'material').toString('hex'),
    keyed: b.keyedHash(KEY(), 'message').toString('hex'),
    streamed: hasher.digest('hex'),
    xof: reader.read(16).toString('hex'),
    errors: [await errorOf(() => b.keyedHash(Buffer.alloc(5), 'message'))],
  }
  reader.dispose()
  return out
}

export default [
  {
    id: 'blake3-wasm',
    name: 'blake3-wasm',
    // 3.0.0 is emscripten; 2.1.5, the last wasm-bindgen build, is the one still installed most.
    version: '2.1.5',
    dir: '.',
    inspect: 'dist/wasm/nodejs',
    layout: 'wasm-pack nodejs in dist/wasm/nodejs/, wrapped by dist/index.js (TypeScript output)',
    load: (ctx) => {
      const b = ctx.require('dist/index.js')
      // The wrapper does not re-export the glue: the handle is on the glue module (the same instance, from the require cache).
      return { ...b, __unbrick: ctx.require('dist/wasm/nodejs/blake3_js.js').__unbrick }
    },
    smoke: blake3Smoke,
    // Unlike keyedHash, createKeyed does not check the key's length: copying 5 bytes into a
    // 32-byte key panics.
    trap: (b) => b.createKeyed(Buffer.alloc(5)).digest('hex'),
    fails: 'panic: source slice length (5) does not match destination slice length (32), in createKeyed',
    stale: { make: (b) => b.createHash().update('before'), use: (hasher) => hasher.digest('hex') },
  },
]
