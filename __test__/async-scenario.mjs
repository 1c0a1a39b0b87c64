// Run in its own process by async.test.mjs: an async export is pending on a
// promise that Rust resolves later; the instance dies before the Rust
// continuation runs in a microtask. The continuation must not become an
// uncaught exception (which would end this process); the pending promise
// rejects, and the module works again.
//   node __test__/async-scenario.mjs <patched package dir> <target>
import { loadPackage } from './helpers.mjs'

const [dir, target] = process.argv.slice(2)
const m = await loadPackage(dir, target)
const out = {}
const pending = m.wait_for_release()
const settled = pending.then(
  (v) => ({ value: v }),
  (e) => ({ error: e.name }),
)
await new Promise((resolve) => setTimeout(resolve, 10))
out.released = m.release() // queues the Rust continuation as a microtask
m.__unbrick.terminate('instance killed while a continuation was queued')
out.pending = await settled
await new Promise((resolve) => setTimeout(resolve, 10))
out.bump = m.bump()
out.generation = m.__unbrick.generation
out.doubled = await m.delayed_double(21)
console.log(JSON.stringify(out))
