;; Legacy (`try`) and modern (`try_table`) exception handling in one
;; module, which engines reject.
(module
  (@producers (processed-by "wasm-bindgen" "0.2.130"))
  (import "./bricked_bg.js" "__wbg___wbindgen_throw_4c88d8bf264fd984" (func (param i32 i32)))
  (tag $rust (param i32))
  (memory (export "memory") 1)
  (global $__stack_pointer (mut i32) (i32.const 65536))
  (func (export "add") (param i32 i32) (result i32)
    try (result i32)
      local.get 0
    catch_all
      local.get 1
    end)
  (func (export "catch_rust") (result i32)
    block $caught (result i32)
      try_table (catch $rust $caught)
        i32.const 1
        throw $rust
      end
      i32.const 0
    end))
