// The primitives of Akyürek et al. (§3.1 of the paper) as data, their preconditions and their exact action on
// the hidden-state matrix, shared by derivations/one-step-gd-construction.md (§2, §3) and
// derivations/sherman-morrison-construction.md (§2.1, §2.4), which include this file. It uses the constants
// `prec` and `zero` of their setup blocks.

/// A half-open range of hidden rows, the paper's (i, j).
typealias Rows = Range<Int>

/// One operand of aff: a weight matrix applied to a block of rows.
struct AffTerm {
    let rows: Rows
    let weight: Matrix
}

/// The paper's primitives (§3.1), acting on a hidden matrix with one column per token.
enum Primitive {
    /// Copies `rows` of column `source` into the same rows of column `target`.
    case mov(source: Int, target: Int, rows: Rows)
    /// Writes Σ term.weight · h[term.rows] + bias into `output`, in every column.
    case aff(output: Rows, terms: [AffTerm], bias: Vector?)
    /// Writes (a×b matrix in `left`)·(b×c matrix in `right`), row-major, into `output`, in every column.
    case mul(a: Int, b: Int, c: Int, left: Rows, right: Rows, output: Rows)
    /// Writes h[numerator] / |h[denominator]| into `output`, in every column.
    case div(numerator: Rows, denominator: Int, output: Rows)

    var output: Rows {
        switch self {
        case let .mov(_, _, rows): return rows
        case let .aff(output, _, _): return output
        case let .mul(_, _, _, _, _, output): return output
        case let .div(_, _, output): return output
        }
    }

    /// The rows the primitive reads in a column.
    var operands: Set<Int> {
        switch self {
        case let .mov(_, _, rows): return Set(rows)
        case let .aff(_, terms, _): return terms.reduce(into: Set<Int>()) { $0.formUnion($1.rows) }
        case let .mul(_, _, _, left, right, _): return Set(left).union(right)
        case let .div(numerator, denominator, _): return Set(numerator).union([denominator])
        }
    }

    /// The preconditions of the paper's definitions that this call violates (empty when well formed).
    var violations: [String] {
        switch self {
        case let .mov(source, target, _):
            return target >= source ? [] : ["mov: target column \(target) precedes source column \(source)"]
        case let .aff(output, terms, bias):
            var found: [String] = []
            for term in terms where term.weight.rowCount != output.count || term.weight.columnCount != term.rows.count {
                found.append("aff: a weight does not match its rows")
            }
            if let bias, bias.count != output.count { found.append("aff: bias length") }
            return found
        case let .mul(a, b, c, left, right, output):
            var found: [String] = []
            if left.count != a * b { found.append("mul: j − i ≠ ab") }
            if right.count != b * c { found.append("mul: j′ − i′ ≠ bc") }
            if output.count != a * c { found.append("mul: j″ − i″ ≠ ac") }
            return found
        case let .div(numerator, denominator, output):
            var found: [String] = []
            if numerator.count != output.count { found.append("div: sizes") }
            if output.contains(denominator) || output.overlaps(numerator) { found.append("div: output overlaps an operand") }
            return found
        }
    }
}

/// What a column-wise primitive writes into one column, split as the real layer computes it.
struct ColumnUpdate {
    var rows: [Int] = []
    /// The exact new values.
    var values: [BigFloat] = []
    /// The part carried linearly through the MLP: the linear map, minus the old value for rows updated in place.
    var linear: [BigFloat] = []
    /// The part formed by GeLU products.
    var products: [BigFloat] = []
    /// Σ over the products of one output of (u+v)⁴ − u⁴ − v⁴ (the GeLU-product error law).
    var quartic: [BigFloat] = []
}

func columnUpdate(_ op: Primitive, _ h: Vector) -> ColumnUpdate {
    var u = ColumnUpdate()
    u.rows = Array(op.output)
    let inPlace: Set<Int> = op.operands
    switch op {
    case .mov:
        preconditionFailure("mov acts across columns")
    case let .aff(output, terms, bias):
        for m in 0..<output.count {
            var lin: BigFloat = zero   // mutant-equivalent(negation-insertion): −0 equals 0 in every later sum
            for term in terms {
                for (k, r) in term.rows.enumerated() { lin.addProduct(term.weight[m, k], h[r]) }
            }
            let b: BigFloat = bias?[m] ?? zero
            let row: Int = u.rows[m]
            u.values.append(lin + b)
            u.linear.append(inPlace.contains(row) ? lin - h[row] : lin)
            u.products.append(zero)
            u.quartic.append(zero)
        }
    case let .mul(a, b, c, left, right, _):
        for p in 0..<a {
            for q in 0..<c {
                let row: Int = u.rows[p * c + q]   // row-major: for c ≥ 2 in place the index decides which old value is subtracted (checked by a mul(2, 1, 2) layer in sherman-morrison-construction.md §3.5)
                var s: BigFloat = zero   // mutant-equivalent(negation-insertion): −0 equals 0 in every later sum
                var q4: BigFloat = zero   // mutant-equivalent(negation-insertion): −0 equals 0 in every later sum
                for k in 0..<b {
                    let x: BigFloat = h[left.lowerBound + p * b + k]
                    let y: BigFloat = h[right.lowerBound + k * c + q]
                    s.addProduct(x, y)
                    let xy: BigFloat = x + y   // mutant-equivalent(negation-insertion): only (x + y)⁴ is used
                    q4 += pow(xy, 4) - pow(x, 4) - pow(y, 4)
                }
                u.values.append(s)
                u.products.append(s)
                u.quartic.append(q4)
                u.linear.append(inPlace.contains(row) ? -h[row] : zero)
            }
        }
    case let .div(numerator, denominator, _):
        let c: BigFloat = abs(h[denominator])
        for r in numerator {
            u.values.append(h[r] / c)
            u.linear.append(zero)
            u.products.append(zero)
            u.quartic.append(zero)
        }
    }
    return u
}

/// A correction added to a column's new values, at strength t (used by the first-order error model of §6).
typealias Correction = (Primitive, Vector, ColumnUpdate) -> [BigFloat]

/// The exact action of a primitive on the hidden matrix (idealised: hard attention, exact arithmetic).
func applyIdeal(_ op: Primitive, _ h: Matrix, correction: Correction? = nil, strength t: BigFloat = zero) -> Matrix {
    var out: Matrix = h
    if case let .mov(source, target, rows) = op {
        for r in rows { out[r, target] = h[r, source] }
        return out
    }
    for i in 0..<h.columnCount {
        let column: Vector = h.column(i)
        let u: ColumnUpdate = columnUpdate(op, column)
        let shift: [BigFloat]? = correction?(op, column, u)
        for (m, r) in u.rows.enumerated() {
            if let shift { out[r, i] = u.values[m] + t * shift[m] } else { out[r, i] = u.values[m] }
        }
    }
    return out
}

func runIdeal(_ chain: [Primitive], _ h: Matrix) -> Matrix {
    chain.reduce(h) { applyIdeal($1, $0) }
}

/// The highest row a chain touches, plus one.
func rowsUsed(_ chain: [Primitive]) -> Int {
    chain.map { op in op.operands.reduce(op.output.upperBound) { Swift.max($0, $1 + 1) } }.max() ?? 0
}

/// The steps (numbered from 1) that read a row no earlier step wrote and that is not an input row.
func readsBeforeWrite(_ chain: [Primitive], inputs: Set<Int>) -> [Int] {
    var written: Set<Int> = inputs
    var found: [Int] = []
    for (k, op) in chain.enumerated() {
        if !op.operands.isSubset(of: written) { found.append(k + 1) }
        written.formUnion(op.output)
    }
    return found
}

/// The steps (numbered from 1, the last excluded) with an output row that is overwritten or never read afterwards.
func deadStores(_ chain: [Primitive]) -> [Int] {
    var found: [Int] = []
    for k in 0..<(chain.count - 1) {
        for r in chain[k].output {
            var read = false
            for later in chain[(k + 1)...] {
                if later.operands.contains(r) { read = true; break }
                if later.output.contains(r) { break }
            }
            if !read { found.append(k + 1); break }
        }
    }
    return found
}

/// The RAW read with pattern "previous column" in every column (AK-T1-6): column i gets column i − 1's rows.
func previousColumnCopy(_ h: Matrix, rows: Rows) -> Matrix {
    var out: Matrix = h
    for i in 1..<h.columnCount { for r in rows { out[r, i] = h[r, i - 1] } }
    return out
}
