// Rollback to a checkpoint, on the `bricked` fixture patched with
// `--rollback checkpoint` (and `--standby` or not): engine-neutral, so that
// every engine of the suite runs the same steps. Returns plain JSON, which
// the tests compare with EXPECTED_CHECKPOINT.

const named = (e) => (e?.name === 'Error' ? e.message : e?.name)

function quietly(fn) {
  const original = console.error
  console.error = () => {}
  try {
    return fn()
  } finally {
    console.error = original
  }
}

/** What `fn()` threw: its name (its message for a plain Error), or 'none'. */
function thrown(fn) {
  try {
    quietly(fn)
    return 'none'
  } catch (e) {
    return named(e)
  }
}

async function until(ready) {
  for (let i = 0; i < 500 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  return ready()
}

export async function checkpointScenario(m) {
  const u = m.__unbrick
  u.maxAborts = 100
  // With a standby, each abort swaps in the spare: wait until it is made.
  const spareReady = () => (u.standby ? until(() => u.standbyReady) : true)
  const out = { rollback: u.rollback, noCheckpointYet: u.lastCheckpoint }

  for (let i = 0; i < 5; i++) m.bump()
  const acc = new m.Accumulator(10n)
  acc.add(5n)
  const bumper = m.make_bumper()
  const id = u.checkpoint()
  out.checkpoint = { id, last: u.lastCheckpoint.id, generation: u.lastCheckpoint.generation }
  out.checkpointBytesPositive = u.lastCheckpoint.bytes > 0

  // After the checkpoint: changes, and objects made.
  m.bump()
  acc.add(100n)
  const late = new m.Accumulator(1n)
  const lateBumper = m.make_bumper()
  bumper()
  let inCallback = 'not called'
  m.with_callback(() => {
    inCallback = thrown(() => u.checkpoint())
  })
  out.inCallback = inCallback
  const pending = m.wait_for_release()
  // Its body runs in a later task: then it waits for release().
  await new Promise((resolve) => setTimeout(resolve, 0))
  out.whilePending = thrown(() => u.checkpoint())
  out.released = m.release()
  out.settled = await pending

  await spareReady()
  let abort = null
  try {
    quietly(() => m.panic_while_borrowed())
  } catch (e) {
    abort = e
  }
  out.abort = {
    name: abort?.name,
    checkpoint: abort?.checkpoint,
    says: /restored to checkpoint \d+/.test(abort?.message),
  }
  out.counter = m.counter()
  out.acc = String(acc.total)
  const snapshot = acc.snapshot()
  out.snapshotEntries = snapshot.entries
  out.bumper = bumper()
  out.late = thrown(() => late.total)
  out.lateBumper = thrown(() => lateBumper())
  out.generation = u.generation
  out.accAfter = String(acc.add(1n))

  // A second abort goes back to the same checkpoint.
  await spareReady()
  out.explode = thrown(() => acc.explode())
  out.second = { counter: m.counter(), acc: String(acc.total), generation: u.generation }

  // A checkpoint of a memory grown since the instance started: the next
  // instance is grown to its size.
  const big = new Uint8Array(8 << 20).fill(7)
  out.reversed = m.reverse_bytes(big).length
  const grown = u.checkpoint()
  out.grownLarger = u.lastCheckpoint.bytes > 8 << 20
  const counterAtGrown = m.counter()
  m.bump()
  await spareReady()
  out.grownAbort = thrown(() => m.panic_while_borrowed())
  out.grown = { restoredCounter: m.counter() === counterAtGrown, checkpoint: u.lastCheckpoint.id === grown }

  // Rollback off: the next instance is fresh again.
  u.rollback = 'none'
  out.noneDrops = u.lastCheckpoint
  out.checkpointWhenNone = thrown(() => u.checkpoint()).startsWith("wasm-unbrick: rollback is 'none'")
  await spareReady()
  out.noneAbort = thrown(() => m.panic_while_borrowed())
  out.none = { bump: m.bump(), acc: thrown(() => acc.total) }

  // Every call: the state before the call that aborted.
  u.rollback = 'every-call'
  m.bump()
  m.bump()
  const kept = new m.Accumulator(7n)
  await spareReady()
  out.everyCallAbort = thrown(() => m.panic_while_borrowed())
  out.everyCall = { counter: m.counter(), kept: String(kept.total), bump: m.bump() }

  out.stats = { rollbacks: u.stats.rollbacks, reinits: u.stats.reinits, standbyUsed: u.stats.standbyUsed > 0 }
  return out
}

/** In a page or a worker: the web target at `url`, initialised with `init()`, then the scenario. */
export async function checkpointAtUrl(url) {
  const m = await import(url)
  await m.default()
  return checkpointScenario(m)
}

/** What checkpointScenario returns wherever rollback works; `standby`: patched with --standby. */
export const expectedCheckpoint = (standby) => ({
  rollback: 'checkpoint',
  noCheckpointYet: null,
  checkpoint: { id: 1, last: 1, generation: 0 },
  checkpointBytesPositive: true,
  inCallback: 'wasm-unbrick: a checkpoint cannot be taken while a Wasm frame is on the stack',
  whilePending: 'wasm-unbrick: a checkpoint cannot be taken while an async export or another promise of the module is pending (2 pending)',
  released: true,
  settled: 8,
  abort: { name: 'WasmAbortError', checkpoint: 1, says: true },
  counter: 5,
  acc: '15',
  snapshotEntries: 2,
  bumper: 6,
  late: 'StaleHandleError',
  lateBumper: 'StaleHandleError',
  generation: 1,
  accAfter: '16',
  explode: 'WasmAbortError',
  second: { counter: 5, acc: '15', generation: 2 },
  reversed: 8 << 20,
  grownLarger: true,
  grownAbort: 'WasmAbortError',
  grown: { restoredCounter: true, checkpoint: true },
  noneDrops: null,
  checkpointWhenNone: true,
  noneAbort: 'WasmAbortError',
  none: { bump: 1, acc: 'StaleHandleError' },
  everyCallAbort: 'WasmAbortError',
  everyCall: { counter: 3, kept: '7', bump: 4 },
  stats: { rollbacks: 4, reinits: 5, standbyUsed: standby },
})
