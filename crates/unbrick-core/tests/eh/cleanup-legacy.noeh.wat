(module
  (type (;0;) (func))
  (type (;1;) (func (param i32)))
  (type (;2;) (func (param i32) (result i32)))
  (type (;3;) (func (result i32)))
  (import "env" "may_throw" (func $may_throw (;0;) (type 0)))
  (export "cleanup" (func $cleanup))
  (export "catch_rust" (func $catch_rust))
  (export "delegated" (func $delegated))
  (func $cleanup (;1;) (type 2) (param i32) (result i32)
    block ;; label = @1
      call $may_throw
    end
    local.get 0
  )
  (func $catch_rust (;2;) (type 3) (result i32)
    block (result i32) ;; label = @1
      i32.const 42
      unreachable
    end
  )
  (func $delegated (;3;) (type 0)
    block ;; label = @1
      block ;; label = @2
        call $may_throw
      end
    end
  )
)
