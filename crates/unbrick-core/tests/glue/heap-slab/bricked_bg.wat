;; The few exports and the imports the glue beside it uses, a shadow
;; stack pointer that is not exported (the patch exports it), and other
;; mutable globals: one not exported (exported for checkpoints), one
;; exported, one v128 (out of JS's reach, left alone).
(module
  (@producers (processed-by "wasm-bindgen" "0.2.130"))
  (import "./bricked_bg.js" "__wbg___wbindgen_throw_4c88d8bf264fd984" (func (param i32 i32)))
  (import "./bricked_bg.js" "__wbindgen_object_drop_ref" (func (param i32)))
  (memory (export "memory") 17)
  (global $__stack_pointer (mut i32) (i32.const 1048576))
  (global $tls_base (mut i32) (i32.const 0))
  (global $seed (export "seed") (mut i64) (i64.const 7))
  (global $lanes (mut v128) (v128.const i64x2 0 0))
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (func (export "take_value") (result i32)
    i32.const 1028)
  (func (export "__wbindgen_start")))
