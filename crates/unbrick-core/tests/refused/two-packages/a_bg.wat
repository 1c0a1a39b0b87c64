;; A tiny wasm-bindgen module: one import that its glue defines.
(module
  (@producers (processed-by "wasm-bindgen" "0.2.130"))
  (import "./bricked_bg.js" "__wbg___wbindgen_throw_4c88d8bf264fd984" (func (param i32 i32)))
  (memory (export "memory") 1)
  (global $__stack_pointer (mut i32) (i32.const 65536))
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add))
