// Real transformer layers for the primitives of Akyürek et al.: the layer (causal softmax heads, GeLU MLP with
// LayerNorm on its input, residuals), the hidden layout, the builders that turn a primitive into a layer with
// explicit weights, the first-order error model of those layers, and the helpers that read widths and attention
// patterns off the built weights. Shared by derivations/one-step-gd-construction.md (§4, §6, §7) and
// derivations/sherman-morrison-construction.md (§3), which include it after the primitives file. It uses the
// constants `prec`, `zero`, `one` and `half` of their setup blocks and `unitVector`.

/// Hidden rows: `dataRows` rows of the chain, then one-hot position units, then the padding units P₊, P₋.
struct Layout {
    let dataRows: Int
    let tokens: Int
    var positions: Rows { dataRows..<(dataRows + tokens) }
    var padPlus: Int { dataRows + tokens }
    var padMinus: Int { dataRows + tokens + 1 }
    var width: Int { dataRows + tokens + 2 }
    /// Data rows and position units: every row except the two padding units.
    var unpadded: Rows { 0..<(dataRows + tokens) }
}

/// One attention head: query and key map into the tokens × width score space, value is width × width.
struct Head {
    var query: Matrix
    var key: Matrix
    var value: Matrix
}

/// The MLP branch: W₂ GeLU(W₁ LN(x) + β₁) + β₂.
struct FeedForward {
    var w1: Matrix
    var beta1: Vector
    var w2: Matrix
    var beta2: Vector
}

struct Layer {
    var heads: [Head]
    /// W^F, width × (heads · width).
    var combine: Matrix
    /// nil for a layer without MLP (its output is then x = h + a).
    var feedForward: FeedForward?
}

/// The one-hot vector of the largest entry (the first one on ties).
func hardmax(_ v: Vector) -> Vector {
    var best = 0
    for k in v.elements.indices where v[k] > v[best] { best = k }   // mutant-equivalent(comparison): positional scores have one largest entry (N at the attended column, 0 elsewhere), so ties never decide
    return unitVector(best, v.count)
}

/// One causal transformer layer applied to every column of h.
func forward(_ layer: Layer, _ h: Matrix, hard: Bool = false) -> Matrix {
    let width: Int = h.rowCount, tokens: Int = h.columnCount
    let columns: [Vector] = (0..<tokens).map { h.column($0) }
    let keys: [[Vector]] = layer.heads.map { head in columns.map { head.key * $0 } }
    let values: [[Vector]] = layer.heads.map { head in columns.map { head.value * $0 } }
    var out: Matrix = h   // mutant-equivalent(negation-insertion): every column of out is overwritten below
    for i in 0..<tokens {
        var read: [BigFloat] = []
        for (j, head) in layer.heads.enumerated() {
            let q: Vector = head.query * columns[i]
            let scores = Vector(count: i + 1) { k in dot(q, keys[j][k]) }
            let p: Vector = hard ? hardmax(scores) : softmax(scores)
            var b = Vector(zeros: width, precision: prec)   // mutant-equivalent(negation-insertion): −0 equals 0 in every later sum
            for k in 0...i { b += p[k] * values[j][k] }
            read += b.elements
        }
        let x: Vector = columns[i] + layer.combine * Vector(read)
        var y: Vector = x
        if let f = layer.feedForward {
            let pre: Vector = f.w1 * layerNorm(x) + f.beta1
            y = x + f.w2 * pre.map(gelu) + f.beta2
        }
        out.setColumn(i, y)
    }
    return out
}

/// The hidden state of a data matrix: data rows, one-hot positions, zero padding units.
func embed(_ data: Matrix, _ layout: Layout) -> Matrix {
    var h = Matrix(rows: layout.width, columns: layout.tokens, precision: prec)   // mutant-equivalent(negation-insertion): −0 equals 0; every nonzero entry is set below
    for i in 0..<layout.tokens {
        for r in 0..<layout.dataRows { h[r, i] = data[r, i] }
        h[layout.positions.lowerBound + i, i] = one
    }
    return h
}

/// The data rows of a hidden state.
func dataRows(_ h: Matrix, _ layout: Layout) -> Matrix {
    h.submatrix(rows: 0..<layout.dataRows, columns: 0..<h.columnCount)
}

enum Padding { case asymmetric, symmetric }

/// Query and key matrices that make a head attend from column i to column target(i) with score gap N:
/// keys are the one-hot position units, the query of column i is N times the one-hot of target(i).
func positionalAttention(_ layout: Layout, gap N: BigFloat, target: (Int) -> Int) -> (query: Matrix, key: Matrix) {
    var query = Matrix(rows: layout.tokens, columns: layout.width, precision: prec)   // mutant-equivalent(negation-insertion): −0 equals 0; every nonzero entry is set below
    var key = Matrix(rows: layout.tokens, columns: layout.width, precision: prec)   // mutant-equivalent(negation-insertion): −0 equals 0; every nonzero entry is set below
    for i in 0..<layout.tokens {
        query[target(i), layout.positions.lowerBound + i] = N
        key[i, layout.positions.lowerBound + i] = one
    }
    return (query, key)
}

/// mov(source → target) on `rows` as an attention-only layer; `pattern` overrides the read pattern k(i).
func movLayer(source: Int, target: Int, rows: Rows, layout: Layout, N: BigFloat, pattern: ((Int) -> Int)? = nil) -> Layer {
    let width: Int = layout.width
    let read = positionalAttention(layout, gap: N, target: pattern ?? { $0 == target ? source : $0 })
    let own = positionalAttention(layout, gap: N, target: { $0 })
    var copy = Matrix(rows: width, columns: width, precision: prec)   // mutant-equivalent(negation-insertion): −0 equals 0; every nonzero entry is set below
    for r in rows { copy[r, r] = one }
    var combine = Matrix(rows: width, columns: 2 * width, precision: prec)   // mutant-equivalent(negation-insertion): −0 equals 0; every nonzero entry is set below
    for r in rows {
        combine[r, r] = one
        combine[r, width + r] = -one
    }
    return Layer(heads: [Head(query: read.query, key: read.key, value: copy),
                         Head(query: own.query, key: own.key, value: copy)],
                 combine: combine, feedForward: nil)
}

/// One MLP unit: GeLU(Σ input[r]·LN(x)[r] + bias), added with weight output[u] to row u.
struct Unit {
    var input: [Int: BigFloat]
    var bias: BigFloat
    var output: [Int: BigFloat]
}

/// aff, mul or div as one layer: head 2 clears outputs and sets the padding, the MLP computes.
func arithmeticLayer(_ op: Primitive, layout: Layout, N: BigFloat, padding: Padding) -> Layer {
    let width: Int = layout.width
    let reads: Set<Int> = op.operands
    let cleared: [Int] = op.output.filter { !reads.contains($0) }
    let own = positionalAttention(layout, gap: N, target: { $0 })
    let idle = Head(query: own.query, key: own.key, value: Matrix(rows: width, columns: width, precision: prec))
    let selfRead = Head(query: own.query, key: own.key, value: Matrix.identity(width, precision: prec))

    // Head 2's block G of W^F: a = G·(own column).
    var g = Matrix(rows: width, columns: width, precision: prec)   // mutant-equivalent(negation-insertion): −0 equals 0; every nonzero entry is set below
    for r in cleared { g[r, r] = -one }
    let plus: Int = layout.padPlus, minus: Int = layout.padMinus
    g[plus, plus] = -one
    g[minus, minus] = -one
    var shares: (BigFloat, BigFloat) = padding == .asymmetric ? (zero, -one) : (-half, -half)
    if case let .div(_, denominator, _) = op {
        g[plus, denominator] = N
        g[minus, denominator] = -N
        shares = (-half, -half)
    } else {
        for r in layout.positions {
            g[plus, r] = N
            g[minus, r] = -N
        }
    }
    for r in layout.unpadded where !cleared.contains(r) {
        g[plus, r] += shares.0
        g[minus, r] += shares.1
    }
    var combine = Matrix(rows: width, columns: 2 * width, precision: prec)   // mutant-equivalent(negation-insertion): −0 equals 0; every nonzero entry is set below
    for i in 0..<width { for j in 0..<width { combine[i, width + j] = g[i, j] } }

    // The MLP.
    let rho: BigFloat = N * sqrt(number(2) / width)
    var units: [Unit] = []
    var beta2 = Vector(zeros: width, precision: prec)   // mutant-equivalent(negation-insertion): −0 equals 0 in every later sum
    let outputRows = Array(op.output)
    switch op {
    case .mov:
        preconditionFailure("mov has its own layer")
    case let .aff(_, terms, bias):
        for (m, row) in outputRows.enumerated() {
            var map: [Int: BigFloat] = [:]
            for term in terms {
                for (k, r) in term.rows.enumerated() { map[r, default: zero] += term.weight[m, k] }
            }
            if reads.contains(row) { map[row, default: zero] -= one }
            map = map.filter { !$0.value.isZero }
            if !map.isEmpty {
                units.append(Unit(input: map.mapValues { rho * $0 }, bias: N, output: [row: one]))
                beta2[row] -= N
            }
            if let bias { beta2[row] += bias[m] }
        }
    case let .mul(a, b, c, left, right, _):
        let inScale: BigFloat = rho / N   // mutant-equivalent(negation-insertion): GeLU(−z) = GeLU(z) − z, and the linear parts of the three units cancel ((u + v) − u − v = 0)
        let outScale: BigFloat = N * N * sqrt(BigFloat.pi(precision: prec) / 2)   // N²√(π/2), Lemma 4
        for p in 0..<a {
            for q in 0..<c {
                let row: Int = outputRows[p * c + q]
                for k in 0..<b {
                    let u: Int = left.lowerBound + p * b + k, v: Int = right.lowerBound + k * c + q
                    var both: [Int: BigFloat] = [u: inScale]
                    both[v, default: zero] += inScale
                    units.append(Unit(input: both, bias: zero, output: [row: outScale]))
                    units.append(Unit(input: [u: inScale], bias: zero, output: [row: -outScale]))
                    units.append(Unit(input: [v: inScale], bias: zero, output: [row: -outScale]))
                }
                if reads.contains(row) {
                    units.append(Unit(input: [row: -rho], bias: N, output: [row: one]))
                    beta2[row] -= N
                }
            }
        }
    case let .div(numerator, _, _):
        for (m, row) in outputRows.enumerated() {
            units.append(Unit(input: [numerator.lowerBound + m: rho], bias: N, output: [row: one]))
            beta2[row] -= N
        }
    }
    var w1 = Matrix(rows: units.count, columns: width, precision: prec)   // mutant-equivalent(negation-insertion): −0 equals 0; every nonzero entry is set below
    var w2 = Matrix(rows: width, columns: units.count, precision: prec)   // mutant-equivalent(negation-insertion): −0 equals 0; every nonzero entry is set below
    for (n, unit) in units.enumerated() {
        for (r, value) in unit.input { w1[n, r] = value }
        for (r, value) in unit.output { w2[r, n] = value }
    }
    let beta1 = Vector(units.map { $0.bias })
    return Layer(heads: [idle, selfRead], combine: combine, feedForward: FeedForward(w1: w1, beta1: beta1, w2: w2, beta2: beta2))
}

func layer(for op: Primitive, layout: Layout, N: BigFloat, padding: Padding) -> Layer {
    if case let .mov(source, target, rows) = op {
        return movLayer(source: source, target: target, rows: rows, layout: layout, N: N)
    }
    return arithmeticLayer(op, layout: layout, N: N, padding: padding)
}

func network(_ chain: [Primitive], layout: Layout, N: BigFloat, padding: Padding) -> [Layer] {
    chain.map { layer(for: $0, layout: layout, N: N, padding: padding) }
}

func run(_ layers: [Layer], _ h: Matrix) -> Matrix { layers.reduce(h) { forward($1, $0) } }

/// The coefficient of N^−p in each output's error, per column (p = 1 asymmetric, 2 symmetric).
/// A div layer always errs at N^−2, so it contributes only to the symmetric (p = 2) model.
func leadingError(_ layout: Layout, _ padding: Padding) -> Correction {
    return { op, h, update in
        let reads: Set<Int> = op.operands
        var s: BigFloat = one, q: BigFloat = one   // the column's position unit
        for r in 0..<layout.dataRows where reads.contains(r) || !op.output.contains(r) {
            s += h[r]
            q += h[r] * h[r]
        }
        if case let .div(_, denominator, _) = op {
            // A division errs at N^−2 whatever the padding of the other layers: no N^−1 term.
            if padding == .asymmetric { return update.values.map { _ in zero } }
            let c: BigFloat = h[denominator]   // mutant-equivalent(negation-insertion): only c² is used
            let factor: BigFloat = (q + s * s / 2) / (4 * c * c)
            return update.values.map { -factor * $0 }
        }
        let lnCoefficient: BigFloat = padding == .asymmetric ? s / 2 : (q + s * s / 2) / 4
        let quarticCoefficient: BigFloat = padding == .asymmetric ? zero : number(1, over: 12)
        return (0..<update.rows.count).map { m in
            let linearPart: BigFloat = lnCoefficient * update.linear[m]
            let productPart: BigFloat = 2 * lnCoefficient * update.products[m]
            return -linearPart - productPart - quarticCoefficient * update.quartic[m]
        }
    }
}

/// The first-order change of the exact chain under the error model, divided by the strength t.
func predictedErrorMatrix(_ chain: [Primitive], _ h: Matrix, layout: Layout, padding: Padding) -> Matrix {
    let t: BigFloat = pow(number(10), -40)   /* mutant-data: t only has to be tiny: the neglected second-order term is about |t| relative, far below the claims' 1 % */ // mutant-equivalent(negation-insertion): the quotient is the first-order coefficient for either sign of t, up to a term of relative size |t| = 10⁻⁴⁰
    let model: Correction = leadingError(layout, padding)
    var exact: Matrix = h, perturbed: Matrix = h
    for op in chain {
        exact = applyIdeal(op, exact)
        perturbed = applyIdeal(op, perturbed, correction: model, strength: t)
    }
    return (perturbed - exact) / t
}

/// The column that a head's weights make column i attend to (largest score over all columns, mask ignored).
func attendedColumn(_ head: Head, _ layout: Layout, _ i: Int) -> Int {
    let q: Vector = head.query.column(layout.positions.lowerBound + i)
    let scores: [BigFloat] = layout.positions.map { dot(q, head.key.column($0)) }
    var best: Int = scores.startIndex   // mutant-equivalent(negation-insertion): an Array's startIndex is 0, and −0 = 0
    for k in scores.indices where scores[k] > scores[best] { best = k }   // mutant-equivalent(comparison): positional scores have one largest entry (N at the attended column, 0 elsewhere), so ties never decide
    return best
}

/// How many of the layers' attention reads (column i of each head) are of a later column and of the column itself.
func readCounts(_ layers: [Layer], _ layout: Layout) -> (later: Int, own: Int) {
    var later = 0, own = 0
    for lay in layers {
        for head in lay.heads {
            for i in 0..<layout.tokens {   // mutant-equivalent(range-bound ..<b → ..<b + 1): an extra i = tokens reads the query column of P₊, which the builders leave zero, so every score is 0, k = 0 < i and neither count moves
                let k: Int = attendedColumn(head, layout, i)
                if k > i { later += 1 }
                if k == i { own += 1 }
            }
        }
    }
    return (later, own)
}

/// A negative control for `readCounts`: the read counts of a mov layer whose head 1 reads the next column,
/// k(i) = min(i + 1, tokens − 1); on three tokens it reads later columns twice and its own column four times.
func nextColumnReads(_ layout: Layout, rows: Rows, N: BigFloat) -> (later: Int, own: Int) {
    let last: Int = layout.tokens - 1
    let next: (Int) -> Int = { Swift.min($0 + 1, last) }   // mutant-data: any pattern that reads a later column from the first two columns serves as the control
    let layer: Layer = movLayer(source: 0, target: 1, rows: rows, layout: layout, N: N, pattern: next)   // mutant-equivalent(literal): with a read pattern given, source and target are not used
    return readCounts([layer], layout)
}

/// The rows of a matrix with a nonzero entry.
func nonzeroRows(_ m: Matrix) -> Set<Int> { Set(m.nonzeroRows) }
/// The columns of a matrix with a nonzero entry.
func nonzeroColumns(_ m: Matrix) -> Set<Int> { Set(m.nonzeroColumns) }

/// The hidden rows that some weight of the layers reads or writes, or that the embedded input occupies:
/// the width the construction really uses, read off the built matrices.
func rowsTouched(_ layers: [Layer], input: Matrix) -> Set<Int> {
    var rows: Set<Int> = nonzeroRows(input)
    let width: Int = input.rowCount   // mutant-equivalent(negation-insertion): a % −w equals a % w for a ≥ 0
    for lay in layers {
        for head in lay.heads {
            rows.formUnion(nonzeroColumns(head.query))
            rows.formUnion(nonzeroColumns(head.key))
            rows.formUnion(nonzeroColumns(head.value))
        }
        rows.formUnion(nonzeroRows(lay.combine))
        rows.formUnion(nonzeroColumns(lay.combine).map { $0 % width })
        if let f = lay.feedForward {
            rows.formUnion(nonzeroColumns(f.w1))
            rows.formUnion(nonzeroRows(f.w2))
            rows.formUnion(f.beta2.elements.indices.filter { !f.beta2[$0].isZero })
        }
    }
    return rows
}

/// Whether a layer changes anything: a nonzero attention output or MLP output.
func acts(_ lay: Layer) -> Bool {
    guard let f = lay.feedForward else { return !nonzeroRows(lay.combine).isEmpty }
    return !nonzeroRows(lay.combine).isEmpty || !nonzeroRows(f.w2).isEmpty || f.beta2.elements.contains { !$0.isZero }
}
