import { errorOf } from './common.mjs'

// Keys are random: the smoke result keeps only what does not depend on them.
async function matrixSmoke(m) {
  const versions = m.getVersions()
  const user = new m.UserId('@alice:example.org')
  const machine = await m.OlmMachine.initialize(user, new m.DeviceId('SMOKEDEVICE'))
  try {
    const attachment = m.Attachment.encrypt(new TextEncoder().encode('wasm-unbrick'))
    const decrypted = new TextDecoder().decode(m.Attachment.decrypt(attachment))
    return {
      versions: [versions.vodozemac, versions.matrix_sdk_crypto],
      user: [user.localpart, user.serverName.host, user.isHistorical(), user.toString()],
      room: new m.RoomId('!room:example.org').toString(),
      machine: [machine.userId.toString(), machine.deviceId.toString(), machine.identityKeys.ed25519.toBase64().length],
      decrypted,
      errors: [
        await errorOf(() => new m.UserId('nope')),
        await errorOf(() => new m.Curve25519PublicKey('AAAA')),
        await errorOf(() => m.Attachment.decrypt(attachment)),
      ],
    }
  } finally {
    machine.close()
  }
}
// Documented: 'Panics if a group session for the given room wasn't shared
// beforehand'. The method is async: the panic happens in the microtask that
// polls its future, escapes as an uncaught exception, and the returned promise
// never settles. The trap reports what escapes.
async function matrixTrap(m) {
  const machine = await m.OlmMachine.initialize(new m.UserId('@alice:example.org'), new m.DeviceId('TRAPDEVICE'))
  return new Promise((resolve, reject) => {
    const settle = (fn) => (value) => {
      clearTimeout(timer)
      process.off('uncaughtException', escaped)
      fn(value)
    }
    const escaped = settle(reject)
    const timer = setTimeout(() => escaped(new Error('encryptRoomEvent never settled and nothing escaped')), 5000)
    process.on('uncaughtException', escaped)
    machine.encryptRoomEvent(new m.RoomId('!room:example.org'), 'm.room.message', '{"body":"hi"}').then(settle(resolve), escaped)
  })
}
const matrixStale = { make: (m) => new m.UserId('@bob:example.org'), use: (user) => user.localpart }

const common = {
  name: '@matrix-org/matrix-sdk-crypto-wasm',
  version: '18.9.0',
  dir: '.',
  inspect: 'pkg',
  smoke: matrixSmoke,
  trap: matrixTrap,
  fails: "panic: 'Session wasn't created nor shared' in OlmMachine.encryptRoomEvent before shareRoomKey (documented)",
  stale: matrixStale,
}

export default [
  {
    ...common,
    id: '@matrix-org/matrix-sdk-crypto-wasm (node.mjs)',
    layout: 'wasm-pack bundler glue in pkg/, instantiated by a hand-written node.mjs (readFileSync + __wbg_set_wasm)',
    load: async (ctx) => {
      const m = await ctx.import('node.mjs')
      await m.initAsync()
      return m
    },
  },
  {
    ...common,
    id: '@matrix-org/matrix-sdk-crypto-wasm (node.cjs)',
    layout: 'wasm-pack bundler glue in pkg/ (as .cjs), instantiated by a hand-written node.cjs',
    load: async (ctx) => {
      const m = ctx.require('node.cjs')
      await m.initAsync()
      return m
    },
  },
]
