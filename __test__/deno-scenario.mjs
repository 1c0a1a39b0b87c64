// Run by Deno (from versions.test.mjs) on a copy of the deno target:
//   deno run --allow-read __test__/deno-scenario.mjs <package dir>
// Prints what happened as one JSON line; the Node test asserts on it.
const dir = Deno.args[0].replace(/\/?$/, '/')
const m = await import(new URL('bricked.js', new URL(dir, 'file:///')).href)
console.error = () => {}
const out = { bump: m.bump(), greet: m.greet('wörld ✓'), add: m.add(40, 2) }
const acc = new m.Accumulator(1n)
try {
  m.panic_while_borrowed()
} catch (e) {
  out.error = { name: e.name, cause: e.cause?.name, panic: e.panicMessage?.includes('panic while the counter is borrowed') }
}
try {
  out.bumpAfter = m.bump()
} catch (e) {
  out.bumpAfter = `${e.name}: ${e.message}`
}
out.generation = m.__unbrick?.generation
try {
  acc.add(1n)
  out.stale = 'none'
} catch (e) {
  out.stale = e.name
}
console.log(JSON.stringify(out))
