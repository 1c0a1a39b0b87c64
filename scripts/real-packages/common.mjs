// Helpers shared by the real-package specs.
import crypto from 'node:crypto'

export const sha = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16)

// The error a call throws (Result errors, JS exceptions from callbacks): part
// of the smoke result, so it must stay the same error after patching and must
// not count as an abort.
export async function errorOf(fn) {
  try {
    await fn()
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : `thrown ${typeof e}: ${String(e).slice(0, 200)}`
  }
  return 'no error'
}

// ctx: { dir (package root of the copy), require(rel), import(rel), bytes(rel) }
// A web target loaded in Node: the glue, then initSync with the .wasm bytes.
export const webTarget = (glue, wasm) => async (ctx) => {
  const m = await ctx.import(glue)
  m.initSync({ module: ctx.bytes(wasm) })
  return m
}
