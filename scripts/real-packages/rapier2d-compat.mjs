import { sha } from './common.mjs'

// A ball dropped on the ground: positions after 120 steps, a ray cast and a
// snapshot round trip. Rapier is locally deterministic (same machine, same
// build), which is all that the before/after comparison needs.
function rapierSmoke(R) {
  const world = new R.World({ x: 0, y: -9.81 })
  try {
    world.createCollider(R.ColliderDesc.cuboid(10, 0.1))
    const ball = world.createRigidBody(R.RigidBodyDesc.dynamic().setTranslation(0, 5))
    world.createCollider(R.ColliderDesc.ball(0.5).setRestitution(0.5), ball)
    for (let i = 0; i < 120; i++) world.step()
    const hit = world.castRay(new R.Ray({ x: 3, y: 10 }, { x: 0, y: -1 }), 100, true)
    const snapshot = world.takeSnapshot()
    const restored = R.World.restoreSnapshot(snapshot)
    const out = {
      version: R.version(),
      ball: [ball.translation(), ball.linvel()],
      hit: hit && [hit.timeOfImpact, hit.collider.handle],
      counts: [world.bodies.len(), world.colliders.len(), restored.bodies.len(), restored.colliders.len()],
      snapshot: sha(snapshot),
      garbageSnapshot: R.World.restoreSnapshot(new Uint8Array([1, 2, 3])),
    }
    restored.free()
    return out
  } finally {
    world.free()
  }
}
// A rigid-body handle used after its body was removed: the Rust side looks the
// handle up with `expect("Invalid RigidBody reference...")`, a panic.
function rapierTrap(R) {
  const world = new R.World({ x: 0, y: -9.81 })
  const body = world.createRigidBody(R.RigidBodyDesc.dynamic())
  world.removeRigidBody(body)
  return body.translation()
}
const rapierStale = {
  make: (R) => new R.World({ x: 0, y: -1 }),
  use: (world) => world.step(),
}
const common = {
  name: '@dimforge/rapier2d-compat',
  version: '0.21.0',
  dir: '.',
  smoke: rapierSmoke,
  trap: rapierTrap,
  fails: 'panic: Invalid RigidBody reference (a body used after World.removeRigidBody)',
  stale: rapierStale,
}

export default [
  {
    ...common,
    id: '@dimforge/rapier2d-compat (cjs)',
    layout: 'bundled (rollup, minified) into dist/rapier.cjs, wasm inlined as base64',
    inspect: 'dist/rapier.cjs',
    load: async (ctx) => {
      const R = ctx.require('dist/rapier.cjs')
      await R.init()
      return R
    },
  },
  {
    ...common,
    id: '@dimforge/rapier2d-compat (esm)',
    layout: 'bundled (rollup, minified) into dist/rapier.mjs, wasm inlined as base64',
    inspect: 'dist/rapier.mjs',
    load: async (ctx) => {
      const R = await ctx.import('dist/rapier.mjs')
      await R.init()
      return R
    },
  },
]
