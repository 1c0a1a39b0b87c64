;; The few exports and the one import the glue beside it uses, and a
;; shadow stack pointer that is not exported (the patch exports it).
(module
  (@producers (processed-by "wasm-bindgen" "0.2.130"))
  (import "./bricked_bg.js" "__wbg___wbindgen_throw_4c88d8bf264fd984" (func (param i32 i32)))
  (memory (export "memory") 17)
  (global $__stack_pointer (mut i32) (i32.const 1048576))
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (func (export "counter_new") (result i32)
    i32.const 8)
  (func (export "counter_value") (param i32) (result i32)
    i32.const 0)
  (func (export "__wbg_counter_free") (param i32 i32))
  (func (export "__wbindgen_start")))
