(module
  (type (;0;) (func))
  (type (;1;) (func (param i32)))
  (type (;2;) (func (param i32 i64)))
  (type (;3;) (func (result i32)))
  (type (;4;) (func (param i32) (result i32)))
  (type (;5;) (func (param i32 i64) (result i64)))
  (type (;6;) (func (result i32 exnref)))
  (type (;7;) (func (result i32 i64 exnref)))
  (type (;8;) (func (param i32 i64) (result i32 i64)))
  (import "env" "may_throw" (func $may_throw (;0;) (type 0)))
  (tag $rust (;0;) (type 1) (param i32))
  (tag $pair (;1;) (type 2) (param i32 i64))
  (export "to_try" (func $to_try))
  (export "from_handler" (func $from_handler))
  (export "to_block" (func $to_block))
  (export "outer_rethrow" (func $outer_rethrow))
  (export "with_params" (func $with_params))
  (export "to_caller" (func $to_caller))
  (func $to_try (;1;) (type 3) (result i32)
    block (result i32) ;; label = @1
      block (result i32) ;; label = @2
        try_table (result i32) (catch $rust 0 (;@2;)) ;; label = @3
          block (result exnref) ;; label = @4
            try_table (catch_all_ref 0 (;@4;)) ;; label = @5
              call $may_throw
            end
            i32.const 1
            br 3 (;@1;)
          end
          throw_ref
        end
        br 1 (;@1;)
      end
    end
  )
  (func $from_handler (;2;) (type 3) (result i32)
    block (result i32) ;; label = @1
      block ;; label = @2
        try_table (result i32) (catch_all 0 (;@2;)) ;; label = @3
          block (result exnref) ;; label = @4
            block (result i32) ;; label = @5
              block ;; label = @6
                try_table (result i32) (catch_all 0 (;@6;)) ;; label = @7
                  call $may_throw
                  i32.const 1
                end
                br 1 (;@5;)
              end
              try_table (catch_all_ref 1 (;@4;)) ;; label = @6
                call $may_throw
              end
              i32.const 2
            end
            br 3 (;@1;)
          end
          throw_ref
        end
        br 1 (;@1;)
      end
      i32.const 3
    end
  )
  (func $to_block (;3;) (type 4) (param i32) (result i32)
    block (result i32) ;; label = @1
      block ;; label = @2
        try_table (result i32) (catch_all 0 (;@2;)) ;; label = @3
          block (result exnref) ;; label = @4
            block ;; label = @5
              loop ;; label = @6
                try_table (catch_all_ref 2 (;@4;)) ;; label = @7
                  local.get 0
                  br_if 2 (;@5;)
                  call $may_throw
                  local.get 0
                  br_table 1 (;@6;) 2 (;@5;) 2 (;@5;)
                end
              end
            end
            i32.const 4
            br 3 (;@1;)
          end
          throw_ref
        end
        br 1 (;@1;)
      end
      i32.const 5
    end
  )
  (func $outer_rethrow (;4;) (type 1) (param i32)
    (local exnref exnref)
    block ;; label = @1
      block (result exnref) ;; label = @2
        block (type 6) (result i32 exnref) ;; label = @3
          try_table (catch_ref $rust 0 (;@3;)) (catch_all_ref 1 (;@2;)) ;; label = @4
            call $may_throw
          end
          br 2 (;@1;)
        end
        local.set 1
        drop
        block ;; label = @3
          block ;; label = @4
            try_table (catch_all 0 (;@4;)) ;; label = @5
              call $may_throw
            end
            br 1 (;@3;)
          end
          local.get 0
          br_if 0 (;@3;)
          local.get 1
          throw_ref
        end
        local.get 1
        throw_ref
        br 1 (;@1;)
      end
      local.set 1
      block ;; label = @2
        block (type 7) (result i32 i64 exnref) ;; label = @3
          try_table (catch_ref $pair 0 (;@3;)) ;; label = @4
            call $may_throw
          end
          br 1 (;@2;)
        end
        local.set 2
        drop
        drop
        local.get 2
        throw_ref
      end
    end
  )
  (func $with_params (;5;) (type 5) (param i32 i64) (result i64)
    local.get 0
    local.get 1
    block (type 5) (param i32 i64) (result i64) ;; label = @1
      block (type 8) (param i32 i64) (result i32 i64) ;; label = @2
        try_table (type 5) (param i32 i64) (result i64) (catch $pair 0 (;@2;)) ;; label = @3
          call $may_throw
          drop
          i64.extend_i32_u
          i64.const 1
          i64.add
        end
        br 1 (;@1;)
      end
      drop
      i64.extend_i32_u
    end
  )
  (func $to_caller (;6;) (type 4) (param i32) (result i32)
    block (result exnref) ;; label = @1
      local.get 0
      if ;; label = @2
        try_table (catch_all_ref 1 (;@1;)) ;; label = @3
          call $may_throw
        end
      end
      block ;; label = @2
        i32.const 7
        local.get 0
        br_if 2
        drop
      end
      i32.const 6
      return
    end
    throw_ref
  )
)
