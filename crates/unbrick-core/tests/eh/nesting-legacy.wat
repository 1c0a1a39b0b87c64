;; Legacy shapes that need branch renumbering: delegate to a try in its
;; body, to a try whose handler runs (goes one further out), to a plain
;; block (the next try out) and to the caller; (labels are numbers: the
;; added blocks would shift the name section's label names); rethrow of an outer handler
;; from an inner one; a try with block parameters; branches and br_table
;; across the added blocks.
(module
  (import "env" "may_throw" (func $may_throw))
  (tag $rust (param i32))
  (tag $pair (param i32 i64))
  (func $to_try (export "to_try") (result i32)
    try (result i32)
      try
        call $may_throw
      delegate 0
      i32.const 1
    catch $rust
    end)
  (func $from_handler (export "from_handler") (result i32)
    try (result i32)
      try (result i32)
        call $may_throw
        i32.const 1
      catch_all
        try
          call $may_throw
        delegate 0
        i32.const 2
      end
    catch_all
      i32.const 3
    end)
  (func $to_block (export "to_block") (param i32) (result i32)
    try (result i32)
      block
        loop
          try
            local.get 0
            br_if 2
            call $may_throw
            local.get 0
            br_table 1 2 2
          delegate 1
        end
      end
      i32.const 4
    catch_all
      i32.const 5
    end)
  (func $outer_rethrow (export "outer_rethrow") (param i32)
    try
      call $may_throw
    catch $rust
      drop
      try
        call $may_throw
      catch_all
        local.get 0
        br_if 0
        rethrow 1
      end
      rethrow 0
    catch_all
      try
        call $may_throw
      catch $pair
        drop
        drop
        rethrow 0
      end
    end)
  (func $with_params (export "with_params") (param i32 i64) (result i64)
    local.get 0
    local.get 1
    try (param i32 i64) (result i64)
      call $may_throw
      drop
      i64.extend_i32_u
      i64.const 1
      i64.add
    catch $pair
      drop
      i64.extend_i32_u
    end)
  (func $to_caller (export "to_caller") (param i32) (result i32)
    local.get 0
    if
      try
        call $may_throw
      delegate 1
    end
    block
      i32.const 7
      local.get 0
      br_if 1
      drop
    end
    i32.const 6))
