;; The usual case: imported functions come first in the function index
;; space, so the trap is the last defined function, after them all.
(module
  (type $cb (func (param i32) (result i32)))
  (import "wbg" "__wbg_call" (func $call (type $cb)))
  (import "wbg" "__wbindgen_jstag" (tag $js (param externref)))
  (import "wbg" "__wbg_log" (func $log (param i32)))
  (memory (export "memory") 1)
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (func $helper (param i32) (result i32)
    local.get 0
    call $call)
  (table 2 funcref)
  (elem (i32.const 0) func $helper)
  (data (i32.const 16) "kept as it is"))
