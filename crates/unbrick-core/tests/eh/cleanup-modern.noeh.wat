(module
  (type (;0;) (func))
  (type (;1;) (func (param externref)))
  (type (;2;) (func (param i32)))
  (type (;3;) (func (param i32) (result i32)))
  (type (;4;) (func (result i32)))
  (import "env" "may_throw" (func $may_throw (;0;) (type 0)))
  (export "cleanup" (func $cleanup))
  (export "catch_rust" (func $catch_rust))
  (export "plain" (func $plain))
  (func $cleanup (;1;) (type 3) (param i32) (result i32)
    (local $exn i32)
    block $landed (result i32)
      block ;; label = @2
        call $may_throw
      end
      local.get 0
      return
    end
    local.set $exn
    i32.const 7
    drop
    local.get $exn
    unreachable
  )
  (func $catch_rust (;2;) (type 4) (result i32)
    block $caught (result i32)
      block ;; label = @2
        i32.const 42
        unreachable
      end
      i32.const 0
      return
    end
  )
  (func $plain (;3;) (type 3) (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add
  )
)
