/* tslint:disable */
/* eslint-disable */

export class Accumulator {
    free(): void;
    [Symbol.dispose](): void;
    add(value: bigint): bigint;
    /**
     * Panics while `self` is mutably borrowed: the object stays borrowed.
     */
    explode(): void;
    constructor(start: bigint);
    /**
     * Returns another class instance.
     */
    snapshot(): Snapshot;
    static withStart(start: bigint): Accumulator;
    total: bigint;
}

export class Snapshot {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    readonly entries: number;
    readonly total: bigint;
}

export function abort_now(): void;

export function add(a: number, b: number): number;

/**
 * Increments the thread-local counter and returns its new value.
 */
export function bump(): number;

/**
 * Calls `f` through an import without `catch`, with 4 KiB on the shadow
 * stack: an exception from `f` skips this frame and what would restore
 * the stack pointer.
 */
export function call_uncaught(f: Function): number;

export function checksum(bytes: Uint8Array | number[]): number;

export function counter(): number;

export function delayed_double(x: number): Promise<number>;

/**
 * Allocates 16 MiB blocks, with the counter borrowed, until the allocator
 * fails (out of memory).
 */
export function exhaust_memory(): number;

/**
 * Allocates and fills 16 MiB blocks until the allocator fails: out of
 * memory with every page of the grown memory touched (resident).
 */
export function exhaust_memory_touched(): number;

export function fail_with_js_error(message: string): number;

export function greet(name: string): string;

/**
 * A Rust closure handed to JS: calling it bumps the counter.
 */
export function make_bumper(): Function;

/**
 * A Rust closure handed to JS that panics, with the counter borrowed,
 * when JS calls it later.
 */
export function make_panicker(): Function;

export function overflow_native_stack(): number;

/**
 * Unbounded recursion with frames on Rust's shadow stack: runs off the
 * bottom of linear memory.
 */
export function overflow_stack(): bigint;

/**
 * Panics after an `await`, while the counter is borrowed: in a microtask,
 * with no JS caller on the stack.
 */
export function panic_after_await(): Promise<number>;

/**
 * Panics while the counter's RefCell is mutably borrowed: under the plain
 * glue every later `bump()` fails with "already borrowed".
 */
export function panic_while_borrowed(): void;

/**
 * Re-entrant trigger: panics when called from inside `with_counter_borrowed`'s callback.
 */
export function reenter_and_panic(): void;

export function release(): boolean;

export function reverse_bytes(bytes: Uint8Array | number[]): Uint8Array;

export function start(): void;

/**
 * Calls `f(i)` for i in 0..n and sums the numbers it returns.
 */
export function sum_with(n: number, f: Function): number;

/**
 * An async export that only resolves when `release()` is called: pending
 * while the instance aborts, it must reject instead of hanging.
 */
export function wait_for_release(): Promise<number>;

/**
 * Calls `f()` and ignores what it throws: `Function::call0` is a `catch`
 * import whose `Err` is dropped, so this returns 42 either way.
 */
export function with_callback(f: Function): number;

/**
 * Holds the counter borrowed while calling `f`; `f` may call back into Rust.
 */
export function with_counter_borrowed(f: Function): any;

/* wasm-unbrick: abort recovery handle */
/** Thrown by a call whose Wasm instance aborted (trap, out of memory, stack overflow, abort). */
export interface WasmAbortError extends Error {
  readonly name: 'WasmAbortError';
  /** The original error (a `WebAssembly.RuntimeError`, a stack-overflow `RangeError`, ...). */
  readonly cause: unknown;
  /** Generation of the instance that aborted. */
  readonly generation: number;
  /** The panic message console_error_panic_hook reported during the failing call. */
  readonly panicMessage?: string;
  /** With rollback on: the id of the checkpoint the next instance is restored to. */
  readonly checkpoint?: number;
}
/** Thrown when an object or closure of a terminated instance is used. */
export interface StaleHandleError extends Error {
  readonly name: 'StaleHandleError';
  readonly generation: number;
}
export interface UnbrickHandle {
  /** 0 for the first instance, +1 for each re-created one. */
  readonly generation: number;
  readonly state: 'live' | 'terminated' | 'uninitialized';
  /**
   * Exception handling in use: 'none' for a panic=abort module or the
   * reinit-only variant; for a panic=unwind module, the variant chosen by
   * probing the engine (or forced with --eh-mode).
   */
  readonly mode: 'none' | 'legacy' | 'modern';
  /** The file of the chosen variant, for hosts that fetch the bytes themselves: 'x_bg.wasm' -> 'x_bg.legacy.wasm'. */
  wasmFile(name: string): string;
  readonly stats: {
    aborts: number; reinits: number; reinitFailures: number; staleRejected: number; jsExceptions: number;
    standbyUsed: number; checkpoints: number; rollbacks: number; generation: number; crashLooped: boolean;
  };
  /**
   * Resolves with the generation once an instance is live (at once when it
   * is); rejects with the error of a failed instantiation or re-creation.
   * Where the engine refuses a synchronous instance (Chromium's main thread,
   * modules over 8 MB) re-creation is asynchronous: calls made before it is
   * done throw WasmAbortError.
   */
  readonly ready: Promise<number>;
  /** When a terminated instance is re-created: on the next call, as soon as the failing call unwound, or on reinit() only. */
  policy: 'lazy' | 'eager' | 'manual';
  /** Crash-loop guard: more than maxAborts aborts within windowMs leave the module terminated until reinit(). */
  maxAborts: number;
  windowMs: number;
  /**
   * A spare instance of the module, made off the critical path after load
   * and after each recovery, that the next abort swaps in. Its memory is
   * real memory; false drops it.
   */
  standby: boolean;
  /** Whether the spare for the next abort is made. */
  readonly standbyReady: boolean;
  /**
   * What the instance after an abort starts from: 'none' (fresh), 'checkpoint'
   * (restored to the last checkpoint()), 'every-call' (a checkpoint is taken at
   * the entry of every top-level call). 'none' drops the checkpoint.
   */
  rollback: 'none' | 'checkpoint' | 'every-call';
  /**
   * Records the live instance's memory, mutable globals, externref tables and
   * the glue's state; returns the checkpoint's id. Throws while a Wasm frame
   * is on the stack, while a promise of the module is pending, or with
   * rollback 'none'. Objects made after it are refused after a rollback.
   */
  checkpoint(): number;
  /** The checkpoint a rollback restores, if any; `bytes`: the memory it copied. */
  readonly lastCheckpoint: { id: number; generation: number; bytes: number } | null;
  readonly version: string;
  onAbort(callback: (error: WasmAbortError) => void): () => void;
  /** After each re-creation; `error` is set when one made off the call path (eager, asynchronous) failed. */
  onReinit(callback: (generation: number, error?: WasmAbortError) => void): () => void;
  /** Terminates the instance as if it had aborted. */
  terminate(reason?: unknown): void;
  /**
   * Re-creates the instance now, resetting all glue state and the crash-loop
   * guard; where a synchronous instance is refused, asynchronously (see `ready`).
   */
  reinit(): void;
  readonly WasmAbortError: new (...args: any[]) => WasmAbortError;
  readonly StaleHandleError: new (...args: any[]) => StaleHandleError;
}
export const __unbrick: UnbrickHandle;
