;; The usual case: the module exports its memory and functions, but not the
;; shadow stack pointer. One export is appended to the export section.
(module
  (memory (export "memory") 1)
  (global $__stack_pointer (mut i32) (i32.const 65536))
  (global $counter (mut i32) (i32.const 0))
  (func (export "bump") (result i32)
    global.get $counter
    i32.const 1
    i32.add
    global.set $counter
    global.get $counter)
  (data (i32.const 16) "kept as it is"))
