// Run by Deno (from checkpoint.test.mjs) on a copy of the deno or web target
// patched with --rollback checkpoint:
//   deno run --allow-read __test__/deno-checkpoint.mjs <package dir> <target>
// The web target is started by initSync with the bytes of its .wasm. Prints
// what checkpoint-scenario.mjs's scenario returned as one JSON line, with
// `engine` the Deno that ran it.
import { checkpointScenario } from './checkpoint-scenario.mjs'

const [dir, target] = Deno.args
const base = new URL(dir.replace(/\/?$/, '/'), 'file:///')
const m = await import(new URL('bricked.js', base).href)
if (target === 'web') m.initSync({ module: Deno.readFileSync(new URL('bricked_bg.wasm', base)) })
else if (target !== 'deno') throw new Error(`deno-checkpoint: unknown target ${target}`)
const out = await checkpointScenario(m)
console.log(JSON.stringify({ ...out, engine: { deno: Deno.version.deno } }))
