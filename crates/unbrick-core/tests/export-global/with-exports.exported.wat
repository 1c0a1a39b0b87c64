(module
  (type (;0;) (func (result i32)))
  (memory (;0;) 1)
  (global $__stack_pointer (;0;) (mut i32) i32.const 65536)
  (global $counter (;1;) (mut i32) i32.const 0)
  (export "memory" (memory 0))
  (export "bump" (func 0))
  (export "__unbrick_stack_pointer" (global $__stack_pointer))
  (func (;0;) (type 0) (result i32)
    global.get $counter
    i32.const 1
    i32.add
    global.set $counter
    global.get $counter
  )
  (data (;0;) (i32.const 16) "kept as it is")
)
