(module
  (type (;0;) (func (param i32 i64)))
  (type (;1;) (func (param f32 f64)))
  (type (;2;) (func (result i32)))
  (func $one (;0;) (type 2) (result i32)
    block (result i32) ;; label = @1
      i32.const 1
    end
  )
  (func $two (;1;) (type 2) (result i32)
    block (result i32) ;; label = @1
      i32.const 2
    end
  )
)
