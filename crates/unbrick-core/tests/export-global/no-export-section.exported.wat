(module
  (type (;0;) (func))
  (memory (;0;) 1)
  (global $__stack_pointer (;0;) (mut i32) i32.const 65536)
  (export "__unbrick_stack_pointer" (global $__stack_pointer))
  (start $init)
  (func $init (;0;) (type 0)
    global.get $__stack_pointer
    i32.const 16
    i32.sub
    global.set $__stack_pointer
  )
  (data (;0;) (i32.const 16) "kept as it is")
)
