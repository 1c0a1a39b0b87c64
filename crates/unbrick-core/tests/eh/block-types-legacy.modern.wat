(module
  (type (;0;) (func (param i32 i64)))
  (type (;1;) (func (param f32 f64)))
  (type (;2;) (func (result i32)))
  (type (;3;) (func (result i32 i64)))
  (type (;4;) (func (result f32 f64)))
  (tag $a (;0;) (type 0) (param i32 i64))
  (tag $b (;1;) (type 1) (param f32 f64))
  (func $one (;0;) (type 2) (result i32)
    block (result i32) ;; label = @1
      block (type 3) (result i32 i64) ;; label = @2
        try_table (result i32) (catch $a 0 (;@2;)) ;; label = @3
          i32.const 1
        end
        br 1 (;@1;)
      end
      drop
    end
  )
  (func $two (;1;) (type 2) (result i32)
    block (result i32) ;; label = @1
      block (type 4) (result f32 f64) ;; label = @2
        block (type 3) (result i32 i64) ;; label = @3
          try_table (result i32) (catch $a 0 (;@3;)) (catch $b 1 (;@2;)) ;; label = @4
            i32.const 2
          end
          br 2 (;@1;)
        end
        drop
        br 1 (;@1;)
      end
      drop
      drop
      i32.const 3
    end
  )
)
