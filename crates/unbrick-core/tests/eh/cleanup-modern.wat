;; The shape LLVM emits for a cleanup landing pad with exnref: the handler
;; runs after the block the exception lands in, then rethrows.
(module
  (import "env" "may_throw" (func $may_throw))
  (import "env" "jstag" (tag $js (param externref)))
  (tag $rust (param i32))
  (func $cleanup (export "cleanup") (param i32) (result i32)
    (local $exn exnref)
    block $landed (result exnref)
      try_table (catch_all_ref $landed)
        call $may_throw
      end
      local.get 0
      return
    end
    local.set $exn
    i32.const 7
    drop
    local.get $exn
    throw_ref)
  (func $catch_rust (export "catch_rust") (result i32)
    block $caught (result i32)
      try_table (catch $rust $caught)
        i32.const 42
        throw $rust
      end
      i32.const 0
      return
    end)
  (func $plain (export "plain") (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add))
