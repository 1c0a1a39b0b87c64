;; No exports at all: the export section is added after the code's
;; predecessors, and the type of the trap is a new last type.
(module
  (type (func (param i64) (result i64)))
  (func (type 0)
    local.get 0))
