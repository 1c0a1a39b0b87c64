;; A module that wasm-bindgen did not process: no producers entry, no
;; __wbindgen_* or __wbg_* exports.
(module
  (import "./bricked_bg.js" "__wbg___wbindgen_throw_4c88d8bf264fd984" (func (param i32 i32)))
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add))
