;; No export section at all: it is inserted in its place among the
;; sections, after the global section and before the start, code and data
;; sections.
(module
  (memory 1)
  (global $__stack_pointer (mut i32) (i32.const 65536))
  (func $init
    global.get $__stack_pointer
    i32.const 16
    i32.sub
    global.set $__stack_pointer)
  (start $init)
  (data (i32.const 16) "kept as it is"))
