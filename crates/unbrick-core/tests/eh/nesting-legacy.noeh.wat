(module
  (type (;0;) (func))
  (type (;1;) (func (param i32)))
  (type (;2;) (func (param i32 i64)))
  (type (;3;) (func (result i32)))
  (type (;4;) (func (param i32) (result i32)))
  (type (;5;) (func (param i32 i64) (result i64)))
  (import "env" "may_throw" (func $may_throw (;0;) (type 0)))
  (export "to_try" (func $to_try))
  (export "from_handler" (func $from_handler))
  (export "to_block" (func $to_block))
  (export "outer_rethrow" (func $outer_rethrow))
  (export "with_params" (func $with_params))
  (export "to_caller" (func $to_caller))
  (func $to_try (;1;) (type 3) (result i32)
    block (result i32) ;; label = @1
      block ;; label = @2
        call $may_throw
      end
      i32.const 1
    end
  )
  (func $from_handler (;2;) (type 3) (result i32)
    block (result i32) ;; label = @1
      block (result i32) ;; label = @2
        call $may_throw
        i32.const 1
      end
    end
  )
  (func $to_block (;3;) (type 4) (param i32) (result i32)
    block (result i32) ;; label = @1
      block ;; label = @2
        loop ;; label = @3
          block ;; label = @4
            local.get 0
            br_if 2 (;@2;)
            call $may_throw
            local.get 0
            br_table 1 (;@3;) 2 (;@2;) 2 (;@2;)
          end
        end
      end
      i32.const 4
    end
  )
  (func $outer_rethrow (;4;) (type 1) (param i32)
    block ;; label = @1
      call $may_throw
    end
  )
  (func $with_params (;5;) (type 5) (param i32 i64) (result i64)
    local.get 0
    local.get 1
    block (type 5) (param i32 i64) (result i64) ;; label = @1
      call $may_throw
      drop
      i64.extend_i32_u
      i64.const 1
      i64.add
    end
  )
  (func $to_caller (;6;) (type 4) (param i32) (result i32)
    local.get 0
    if ;; label = @1
      block ;; label = @2
        call $may_throw
      end
    end
    block ;; label = @1
      i32.const 7
      local.get 0
      br_if 1
      drop
    end
    i32.const 6
  )
)
