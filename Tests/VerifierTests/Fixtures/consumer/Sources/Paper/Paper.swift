// The paper's derivations live in theory/; this target only makes the package valid.
