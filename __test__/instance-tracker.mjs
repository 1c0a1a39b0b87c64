// Watches every WebAssembly instance made after `trackInstances()`, in any
// engine: a WeakRef to it and to its exported memory (is anything still
// holding a dead one?), and a count of the calls into each of its function
// imports (does anything still call into a dead one?). Installs itself in
// front of WebAssembly.Instance and WebAssembly.instantiate, which the
// runtime looks up at each use.

/**
 * @returns {{ instances: { index: number, instance: WeakRef<WebAssembly.Instance>,
 *   memory: WeakRef<WebAssembly.Memory> | null, importCalls: number }[], restore(): void }}
 */
export function trackInstances() {
  const RealInstance = WebAssembly.Instance
  const realInstantiate = WebAssembly.instantiate
  const instances = []

  // The imports again, each function counting its calls for the instance
  // that is about to be made from them.
  function counted(imports, entry) {
    if (imports === undefined || imports === null) return imports
    const out = {}
    for (const [ns, values] of Object.entries(imports)) {
      if (values === null || typeof values !== 'object') {
        out[ns] = values
        continue
      }
      out[ns] = {}
      for (const [name, value] of Object.entries(values)) {
        out[ns][name] =
          typeof value === 'function'
            ? function (...args) {
                entry.importCalls++
                return value.apply(this, args)
              }
            : value
      }
    }
    return out
  }

  function newEntry() {
    const entry = { index: instances.length, instance: null, memory: null, importCalls: 0 }
    instances.push(entry)
    return entry
  }

  function record(entry, instance) {
    entry.instance = new WeakRef(instance)
    const memory = Object.values(instance.exports).find((v) => v instanceof WebAssembly.Memory)
    entry.memory = memory === undefined ? null : new WeakRef(memory)
    return instance
  }

  function Instance(module, imports) {
    const entry = newEntry()
    return record(entry, new RealInstance(module, counted(imports, entry)))
  }
  Instance.prototype = RealInstance.prototype
  Object.defineProperty(Instance, 'name', { value: 'Instance' })

  async function instantiate(source, imports) {
    const entry = newEntry()
    const made = await realInstantiate.call(WebAssembly, source, counted(imports, entry))
    if (made instanceof RealInstance) return record(entry, made)
    record(entry, made.instance)
    return made
  }

  WebAssembly.Instance = Instance
  WebAssembly.instantiate = instantiate
  return {
    instances,
    restore() {
      WebAssembly.Instance = RealInstance
      WebAssembly.instantiate = realInstantiate
    },
  }
}

/**
 * Collects garbage until `done()` is true or `attempts` rounds have passed,
 * and returns whether it became true; WeakRefs only empty between tasks. `gc` is the
 * engine's collector (Node's --expose-gc, Bun.gc), or null where there is
 * none to call: then garbage is made until the engine collects.
 */
export async function collect(gc, done, attempts = 20) {
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 10))
  for (let i = 0; i < attempts; i++) {
    // A WeakRef's target stays alive for the rest of the task that read it
    // (workerd: the request), and some objects die only at a second
    // collection: two, each in a task of its own, before each look.
    for (let round = 0; round < 2; round++) {
      await nextTask()
      if (gc !== null) gc()
      else {
        let garbage = []
        for (let j = 0; j < 200; j++) garbage.push(new ArrayBuffer(1 << 20))
        garbage = null
      }
    }
    await nextTask()
    if (done()) return true
  }
  return false
}
