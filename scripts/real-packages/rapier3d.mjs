// @dimforge/rapier3d is the bundler build: its high-level entry (rapier.js)
// imports './exports' and './raw' without extensions, which Node cannot
// resolve, so the spec drives the wasm-bindgen module (rapier_wasm3d.js, the
// Raw* classes the high-level API wraps) directly.
const vec = (m, x, y, z) => new m.RawVector(x, y, z)
const rot = (m) => new m.RawRotation(0, 0, 0, 1)

function rawWorld(m) {
  return {
    params: new m.RawIntegrationParameters(),
    islands: new m.RawIslandManager(),
    broad: new m.RawBroadPhase(),
    narrow: new m.RawNarrowPhase(),
    bodies: new m.RawRigidBodySet(),
    colliders: new m.RawColliderSet(),
    soft: new m.RawSoftBodySet(),
    joints: new m.RawImpulseJointSet(),
    multibody: new m.RawMultibodyJointSet(),
    ccd: new m.RawCCDSolver(),
    pipeline: new m.RawPhysicsPipeline(),
  }
}
// The arguments RigidBodySet.createRigidBody / ColliderSet.createCollider of
// the high-level API pass for RigidBodyDesc.dynamic() / ColliderDesc defaults.
function addBody(m, w, y, type) {
  const zero = () => vec(m, 0, 0, 0)
  const free = [true, true, true, true, true, true]
  return w.bodies.createRigidBody(
    true,
    vec(m, 0, y, 0),
    rot(m),
    1,
    0,
    false,
    zero(),
    zero(),
    zero(),
    zero(),
    rot(m),
    ...free,
    0,
    0,
    type,
    true,
    false,
    0,
    false,
    0,
    0,
    0,
  )
}
function addCollider(m, w, shape, parent) {
  const zero = () => vec(m, 0, 0, 0)
  const all = 0xffffffff
  return w.colliders.createCollider(
    true,
    shape,
    zero(),
    rot(m),
    0,
    0,
    zero(),
    zero(),
    rot(m),
    1,
    0.5,
    0.5,
    0,
    0,
    false,
    all,
    all,
    15,
    0,
    0,
    0,
    0,
    true,
    parent,
    w.bodies,
  )
}
const step = (w, gravity) =>
  w.pipeline.step(gravity, w.params, w.islands, w.broad, w.narrow, w.bodies, w.colliders, w.soft, w.joints, w.multibody, w.ccd)

function rapierSmoke(m) {
  const w = rawWorld(m)
  const ground = addBody(m, w, 0, m.RawRigidBodyType.Fixed)
  addCollider(m, w, m.RawShape.cuboid(10, 0.1, 10), ground)
  const ball = addBody(m, w, 5, m.RawRigidBodyType.Dynamic)
  addCollider(m, w, m.RawShape.ball(0.5), ball)
  const gravity = vec(m, 0, -9.81, 0)
  for (let i = 0; i < 120; i++) step(w, gravity)
  const position = new Float32Array(3)
  w.bodies.rbTranslation(ball, position)
  const out = {
    version: m.version(),
    ball: Array.from(position),
    counts: [w.bodies.len(), w.colliders.len()],
    contains: [w.bodies.contains(ball), w.bodies.contains(12345)],
  }
  for (const part of Object.values(w)) part.free()
  return out
}
// An unknown rigid-body handle: the Rust side looks it up with
// `expect("Invalid RigidBody reference...")`, a panic.
function rapierTrap(m) {
  const bodies = new m.RawRigidBodySet()
  return bodies.rbTranslation(12345, new Float32Array(3))
}
const rapierStale = {
  make: (m) => new m.RawRigidBodySet(),
  use: (bodies) => bodies.len(),
}

export default [
  {
    id: '@dimforge/rapier3d (bundler)',
    name: '@dimforge/rapier3d',
    version: '0.21.0',
    dir: '.',
    layout: 'wasm-pack bundler (glue imports the .wasm as an ES module)',
    flags: { before: ['--experimental-wasm-modules'] },
    load: (ctx) => ctx.import('rapier_wasm3d.js'),
    smoke: rapierSmoke,
    trap: rapierTrap,
    fails: 'panic: Invalid RigidBody reference (RawRigidBodySet.rbTranslation of an unknown handle)',
    stale: rapierStale,
  },
]
