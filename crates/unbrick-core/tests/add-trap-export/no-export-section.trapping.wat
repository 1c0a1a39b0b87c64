(module
  (type (;0;) (func (param i64) (result i64)))
  (type (;1;) (func))
  (export "__unbrick_trap" (func 1))
  (func (;0;) (type 0) (param i64) (result i64)
    local.get 0
  )
  (func (;1;) (type 1)
    unreachable
  )
)
