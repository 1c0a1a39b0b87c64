;; Two functions whose handlers need multi-value block types, added in
;; another order by the second: the output numbers them as a run over the
;; functions in order would.
(module
  (tag $a (param i32 i64))
  (tag $b (param f32 f64))
  (func $one (result i32)
    try (result i32)
      i32.const 1
    catch $a
      drop
    end)
  (func $two (result i32)
    try (result i32)
      i32.const 2
    catch $a
      drop
    catch $b
      drop
      drop
      i32.const 3
    end))
