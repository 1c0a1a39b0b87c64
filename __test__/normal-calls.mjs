// The normal calls whose results a patched module must share with the
// unpatched one. Plain JavaScript with no imports: the browser tests load
// this file in the page too.
export const UNICODE_NAME = 'wörld 🦀 — 日本語 \u{1F600}'

/**
 * Normal calls whose results must be the same with and without the patch.
 * Returns a plain object of results.
 */
export async function normalResults(m) {
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff)
  const big = new Uint8Array(100_000).map((_, i) => i % 251)
  const acc = new m.Accumulator(5n)
  const afterAdd = [acc.add(7n), acc.add(-2n), acc.add(1n << 40n)]
  const snap = acc.snapshot()
  const started = m.Accumulator.withStart(100n)
  const startedTotal = started.total
  started.add(1n)
  const set = new m.Accumulator(0n)
  set.total = 9n
  const r = {
    add: [m.add(2, 3), m.add(-5, 3), m.add(2 ** 31 - 1, 1), m.add(-(2 ** 31), -1)],
    greet: [m.greet(UNICODE_NAME), m.greet(''), m.greet('x'.repeat(10_000)).length],
    checksum: [m.checksum(bytes), m.checksum(new Uint8Array(0)), m.checksum(big)],
    reverse: [
      Array.from(m.reverse_bytes(Uint8Array.of(1, 2, 3, 4, 5))),
      Array.from(m.reverse_bytes(big).subarray(0, 8)),
      m.reverse_bytes(new Uint8Array(0)).length,
    ],
    accumulator: {
      afterAdd,
      total: acc.total,
      snapshot: [snap.total, snap.entries],
      startedTotal,
      startedAfter: started.total,
      isInstance: acc instanceof m.Accumulator && snap instanceof m.Snapshot,
    },
    sumWith: [m.sum_with(10, (i) => i * i), m.sum_with(0, () => 1), m.sum_with(3, () => 'not a number')],
    setter: [set.total, set.add(1n)],
    // Function::call0 is a `catch` import; with_callback ignores its Err.
    withCallback: [
      m.with_callback(() => 1),
      m.with_callback(() => {
        throw new Error('ignored by Rust')
      }),
    ],
    delayedDouble: [await m.delayed_double(21), await m.delayed_double(0)],
  }
  snap.free()
  set.free()
  acc.free()
  started.free()
  return r
}

/** What normalResults must give (checked so that both modules cannot be wrong alike). */
export const EXPECTED_NORMAL = {
  add: [5, -2, -(2 ** 31), 2 ** 31 - 1],
  greet: [`Hello, ${UNICODE_NAME}!`, 'Hello, !', 10_008],
  reverse: [[5, 4, 3, 2, 1], null, 0],
  accumulator: {
    afterAdd: [12n, 10n, 10n + (1n << 40n)],
    total: 10n + (1n << 40n),
    snapshot: [10n + (1n << 40n), 4],
    startedTotal: 100n,
    startedAfter: 101n,
    isInstance: true,
  },
  sumWith: [285, 0, 0],
  setter: [9n, 10n],
  withCallback: [42, 42],
  delayedDouble: [42, 0],
}

/**
 * Runs fn with console.error captured (console_error_panic_hook writes the
 * panic there); returns { value, error, logs } where logs are the joined
 * argument strings.
 */
export function withConsoleError(fn) {
  const original = console.error
  const logs = []
  console.error = (...args) => {
    logs.push(args.map(String).join(' '))
  }
  try {
    return { value: fn(), error: undefined, threw: false, logs }
  } catch (error) {
    return { value: undefined, error, threw: true, logs }
  } finally {
    console.error = original
  }
}
