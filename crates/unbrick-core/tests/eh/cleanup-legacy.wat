;; LLVM's legacy shapes: a cleanup pad rethrows from catch_all; a catch pad
;; takes the payload; delegate passes an exception to the caller.
(module
  (import "env" "may_throw" (func $may_throw))
  (tag $rust (param i32))
  (func $cleanup (export "cleanup") (param i32) (result i32)
    try
      call $may_throw
    catch_all
      i32.const 7
      drop
      rethrow 0
    end
    local.get 0)
  (func $catch_rust (export "catch_rust") (result i32)
    try (result i32)
      i32.const 42
      throw $rust
    catch $rust
    end)
  (func $delegated (export "delegated")
    try
      try
        call $may_throw
      delegate 1
    catch_all
    end))
