(module
  (type (;0;) (func))
  (type (;1;) (func (param externref)))
  (type (;2;) (func (param i32)))
  (type (;3;) (func (param i32) (result i32)))
  (type (;4;) (func (result i32)))
  (type (;5;) (func (result i32 externref i32)))
  (import "env" "may_throw" (func $may_throw (;0;) (type 0)))
  (import "env" "jstag" (tag $js (;0;) (type 1) (param externref)))
  (tag $rust (;1;) (type 2) (param i32))
  (export "cleanup" (func $cleanup))
  (export "catch_rust" (func $catch_rust))
  (export "plain" (func $plain))
  (func $cleanup (;1;) (type 3) (param i32) (result i32)
    (local $exn i32) (local externref i32 externref i32 i32)
    block $landed (type 5) (result i32 externref i32)
      try ;; label = @2
        call $may_throw
      catch $js
        local.set 2
        i32.const 1
        local.get 2
        i32.const 0
        br $landed
      catch $rust
        local.set 3
        i32.const 2
        ref.null extern
        local.get 3
        br $landed
      catch_all
        i32.const 3
        ref.null extern
        i32.const 0
        br $landed
      end
      local.get 0
      return
    end
    local.set 5
    local.set 4
    local.set $exn
    i32.const 7
    drop
    local.get $exn
    local.get 4
    local.get 5
    local.set 3
    local.set 2
    local.set 6
    local.get 6
    i32.const 1
    i32.eq
    if ;; label = @1
      local.get 2
      throw $js
    end
    local.get 6
    i32.const 2
    i32.eq
    if ;; label = @1
      local.get 3
      throw $rust
    end
    unreachable
  )
  (func $catch_rust (;2;) (type 4) (result i32)
    block $caught (result i32)
      try ;; label = @2
        i32.const 42
        throw $rust
      catch $rust
        br $caught
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
