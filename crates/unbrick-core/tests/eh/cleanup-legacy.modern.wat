(module
  (type (;0;) (func))
  (type (;1;) (func (param i32)))
  (type (;2;) (func (param i32) (result i32)))
  (type (;3;) (func (result i32)))
  (import "env" "may_throw" (func $may_throw (;0;) (type 0)))
  (tag $rust (;0;) (type 1) (param i32))
  (export "cleanup" (func $cleanup))
  (export "catch_rust" (func $catch_rust))
  (export "delegated" (func $delegated))
  (func $cleanup (;1;) (type 2) (param i32) (result i32)
    (local exnref)
    block ;; label = @1
      block (result exnref) ;; label = @2
        try_table (catch_all_ref 0 (;@2;)) ;; label = @3
          call $may_throw
        end
        br 1 (;@1;)
      end
      local.set 1
      i32.const 7
      drop
      local.get 1
      throw_ref
    end
    local.get 0
  )
  (func $catch_rust (;2;) (type 3) (result i32)
    block (result i32) ;; label = @1
      block (result i32) ;; label = @2
        try_table (result i32) (catch $rust 0 (;@2;)) ;; label = @3
          i32.const 42
          throw $rust
        end
        br 1 (;@1;)
      end
    end
  )
  (func $delegated (;3;) (type 0)
    block (result exnref) ;; label = @1
      block ;; label = @2
        block ;; label = @3
          try_table (catch_all 0 (;@3;)) ;; label = @4
            try_table (catch_all_ref 3 (;@1;)) ;; label = @5
              call $may_throw
            end
          end
          br 1 (;@2;)
        end
      end
      return
    end
    throw_ref
  )
)
