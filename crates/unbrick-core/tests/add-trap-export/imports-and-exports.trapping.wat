(module
  (type $cb (;0;) (func (param i32) (result i32)))
  (type (;1;) (func (param externref)))
  (type (;2;) (func (param i32)))
  (type (;3;) (func (param i32 i32) (result i32)))
  (type (;4;) (func))
  (import "wbg" "__wbg_call" (func $call (;0;) (type $cb)))
  (import "wbg" "__wbindgen_jstag" (tag $js (;0;) (type 1) (param externref)))
  (import "wbg" "__wbg_log" (func $log (;1;) (type 2)))
  (table (;0;) 2 funcref)
  (memory (;0;) 1)
  (export "memory" (memory 0))
  (export "add" (func 2))
  (export "__unbrick_trap" (func 4))
  (elem (;0;) (i32.const 0) func $helper)
  (func (;2;) (type 3) (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add
  )
  (func $helper (;3;) (type $cb) (param i32) (result i32)
    local.get 0
    call $call
  )
  (func (;4;) (type 4)
    unreachable
  )
  (data (;0;) (i32.const 16) "kept as it is")
)
