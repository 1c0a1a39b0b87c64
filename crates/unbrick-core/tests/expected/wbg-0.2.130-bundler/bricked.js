/* @ts-self-types="./bricked.d.ts" */
import * as __unbrick_imports0 from "./bricked_bg.js";
import { __unbrick as __unbrick_handle } from "./bricked_bg.js";
/* wasm-unbrick: patched by wasm-unbrick 0.1.0: the module is compiled here so that it can be instantiated again */
const wasm = await __unbrick_handle.__load(new URL("bricked_bg.wasm", import.meta.url), { "./bricked_bg.js": __unbrick_imports0 });
import { __wbg_set_wasm } from "./bricked_bg.js";

__wbg_set_wasm(wasm);
wasm.__wbindgen_start();
export {
    Accumulator, Snapshot, abort_now, add, bump, call_uncaught, checksum, counter, delayed_double, exhaust_memory, exhaust_memory_touched, fail_with_js_error, greet, make_bumper, make_panicker, overflow_native_stack, overflow_stack, panic_after_await, panic_while_borrowed, reenter_and_panic, release, reverse_bytes, start, sum_with, wait_for_release, with_callback, with_counter_borrowed, __unbrick
} from "./bricked_bg.js";
