// The test app: one wasm-bindgen package from node_modules (`bricked`, the
// bundler target) and one from a local wasm-pack output directory
// (`./pkg`, the web target). The page calls window.unbrickScenario(which).
import * as fromNodeModules from 'bricked'
import initLocal, * as local from './pkg/bricked.js'

async function scenario(m) {
  const u = m.__unbrick
  const out = { hasHandle: typeof u === 'object' && u !== null, generationBefore: u?.generation }
  out.bumps = [m.bump(), m.bump()]
  const acc = new m.Accumulator(3n)
  const original = console.error
  console.error = () => {}
  try {
    m.panic_while_borrowed()
    out.abort = 'no throw'
  } catch (e) {
    out.abort = {
      name: e.name,
      isWasmAbortError: !!u && e instanceof u.WasmAbortError,
      generation: e.generation,
      panicMessage: e.panicMessage,
    }
  } finally {
    console.error = original
  }
  // Where the instance cannot be re-created synchronously (Chromium's main
  // thread, a module over 8 MB), this call finds recovery in progress.
  try {
    out.firstCallAfter = { value: m.counter() }
  } catch (e) {
    out.firstCallAfter = { error: e.name, message: e.message }
  }
  out.readyGeneration = u && (await u.ready)
  out.counterAfter = m.counter()
  out.generationAfter = u?.generation
  out.bumpAfter = m.bump()
  try {
    out.stale = { value: String(acc.total) }
  } catch (e) {
    out.stale = { error: e.name }
  }
  return out
}

window.unbrickScenario = async (which) => {
  if (which === 'local') {
    await initLocal()
    return scenario(local)
  }
  return scenario(fromNodeModules)
}
window.unbrickReady = true
