/// A dense matrix of ``BigFloat`` values, stored row-major.
///
/// A value type with copy-on-write semantics like ``Vector``.
public struct Matrix: Sendable, Hashable {
    /// The number of rows.
    public let rowCount: Int
    /// The number of columns.
    public let columnCount: Int
    /// The entries in row-major order: entry (i, j) is `elements[i * columnCount + j]`.
    public var elements: [BigFloat]

    /// The matrix with these row-major entries.
    public init(rows: Int, columns: Int, elements: [BigFloat]) {
        precondition(rows >= 0 && columns >= 0 && elements.count == rows * columns,
                     "Matrix: \(elements.count) entries do not fill \(rows)×\(columns)")
        rowCount = rows
        columnCount = columns
        self.elements = elements
    }

    /// The zero matrix of the given shape.
    ///
    /// The entries share one stored zero until they are assigned or changed in place (copy-on-write), so making the
    /// matrix allocates one number, not rows × columns.
    public init(rows: Int, columns: Int, precision: Int = BigFloat.defaultPrecision) {
        self.init(rows: rows, columns: columns, elements: Array(repeating: BigFloat(0, precision: precision), count: rows * columns))
    }

    /// The matrix whose entry (i, j) is `entry(i, j)`.
    public init(rows: Int, columns: Int, _ entry: (Int, Int) throws -> BigFloat) rethrows {
        var elements: [BigFloat] = []
        elements.reserveCapacity(rows * columns)
        for i in 0..<rows { for j in 0..<columns { elements.append(try entry(i, j)) } }
        self.init(rows: rows, columns: columns, elements: elements)
    }

    /// The matrix with these rows (all of the same length).
    public init(_ rows: [[BigFloat]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "Matrix: rows of different lengths")
        self.init(rows: rows.count, columns: columns, elements: rows.flatMap { $0 })
    }

    /// The matrix with these vectors as rows.
    public init(rowVectors: [Vector]) { self.init(rowVectors.map(\.elements)) }

    /// The matrix with these vectors as columns.
    public init(columnVectors: [Vector]) { self = Matrix(rowVectors: columnVectors).transposed }

    /// The n×n identity.
    ///
    /// The entries share one stored zero and one stored one until they are assigned or changed (copy-on-write).
    public static func identity(_ n: Int, precision: Int = BigFloat.defaultPrecision) -> Matrix {
        var identity = Matrix(rows: n, columns: n, precision: precision)
        let one = BigFloat(1, precision: precision)
        for i in 0..<n { identity.elements[i * n + i] = one }
        return identity
    }

    /// The square matrix with `diagonal` on its diagonal and zeros elsewhere.
    public static func diagonal(_ diagonal: Vector) -> Matrix {
        let zero = BigFloat(0, precision: diagonal.precision)
        return Matrix(rows: diagonal.count, columns: diagonal.count) { i, j in i == j ? diagonal[i] : zero }
    }

    /// The row-major reshape of `vector` into a rows×columns matrix (the inverse of ``flattened``).
    public init(reshaping vector: Vector, rows: Int, columns: Int) {
        precondition(vector.count == rows * columns, "Matrix(reshaping:): \(vector.count) entries cannot form \(rows)×\(columns)")
        self.init(rows: rows, columns: columns, elements: vector.elements)
    }

    /// The entries read row by row, as one vector.
    public var flattened: Vector { Vector(elements) }

    /// The largest precision among the entries.
    public var precision: Int { flattened.precision }

    /// The precision of every entry when all entries have the same one; nil for mixed precisions or no entries.
    var uniformPrecision: Int? {
        guard let bits = elements.first?.precision else { return nil }
        return elements.allSatisfy { $0.precision == bits } ? bits : nil
    }

    /// Entry (i, j), 0-based.
    public subscript(row: Int, column: Int) -> BigFloat {
        get {
            precondition(row >= 0 && row < rowCount && column >= 0 && column < columnCount,
                         "Matrix: index (\(row), \(column)) outside \(rowCount)×\(columnCount)")
            return elements[row * columnCount + column]
        }
        set {
            precondition(row >= 0 && row < rowCount && column >= 0 && column < columnCount,
                         "Matrix: index (\(row), \(column)) outside \(rowCount)×\(columnCount)")
            elements[row * columnCount + column] = newValue
        }
    }

    /// Row i as a vector.
    public func row(_ i: Int) -> Vector { Vector(Array(elements[(i * columnCount)..<((i + 1) * columnCount)])) }
    /// Column j as a vector.
    public func column(_ j: Int) -> Vector { Vector((0..<rowCount).map { self[$0, j] }) }
    /// The rows with a nonzero entry, in increasing order: { i : aᵢⱼ ≠ 0 for some j } (a NaN entry counts as
    /// nonzero). The corresponding MPFR function is `mpfr_zero_p`.
    ///
    /// The row support of the matrix, read in one pass over the entries; a derivation's own loop over every
    /// entry runs unoptimised generic code, many times slower.
    public var nonzeroRows: [Int] {
        elements.withUnsafeBufferPointer { entries in
            (0..<rowCount).filter { i in
                entries[(i * columnCount)..<((i + 1) * columnCount)].contains { !$0.isZero }
            }
        }
    }
    /// The columns with a nonzero entry, in increasing order: { j : aᵢⱼ ≠ 0 for some i } (a NaN entry counts as
    /// nonzero). The corresponding MPFR function is `mpfr_zero_p`.
    public var nonzeroColumns: [Int] {
        var nonzero = [Bool](repeating: false, count: columnCount)
        elements.withUnsafeBufferPointer { entries in
            for (index, entry) in entries.enumerated() where !nonzero[index % columnCount] && !entry.isZero {
                nonzero[index % columnCount] = true
            }
        }
        return nonzero.indices.filter { nonzero[$0] }
    }
    /// Replaces row i.
    public mutating func setRow(_ i: Int, _ vector: Vector) {
        precondition(vector.count == columnCount, "Matrix.setRow: \(vector.count) entries for \(columnCount) columns")
        for j in 0..<columnCount { self[i, j] = vector[j] }
    }
    /// Replaces column j.
    public mutating func setColumn(_ j: Int, _ vector: Vector) {
        precondition(vector.count == rowCount, "Matrix.setColumn: \(vector.count) entries for \(rowCount) rows")
        for i in 0..<rowCount { self[i, j] = vector[i] }
    }
    /// The block of the given rows and columns.
    public func submatrix(rows: Range<Int>, columns: Range<Int>) -> Matrix {
        Matrix(rows: rows.count, columns: columns.count) { i, j in self[rows.lowerBound + i, columns.lowerBound + j] }
    }

    /// The transpose Aᵀ.
    public var transposed: Matrix { Matrix(rows: columnCount, columns: rowCount) { i, j in self[j, i] } }

    /// The trace Σ Aᵢᵢ of a square matrix.
    public var trace: BigFloat {
        precondition(rowCount == columnCount, "Matrix.trace: \(rowCount)×\(columnCount) is not square")
        var total = BigFloat(0, precision: precision)
        for i in 0..<rowCount { total += self[i, i] }
        return total
    }

    /// The Frobenius norm ‖A‖_F = √(Σ Aᵢⱼ²).
    public var frobeniusNorm: BigFloat { flattened.norm }

    /// The entry of largest magnitude, max |Aᵢⱼ|.
    public var maxNorm: BigFloat { flattened.maxNorm }

    /// The matrix of `transform` applied to each entry.
    public func map(_ transform: (BigFloat) throws -> BigFloat) rethrows -> Matrix {
        Matrix(rows: rowCount, columns: columnCount, elements: try elements.map(transform))
    }
}

extension Matrix: CustomStringConvertible {
    /// The rows, entries with 20 significant digits.
    public var description: String { (0..<rowCount).map { row($0).description }.joined(separator: "\n") }
}

// MARK: - Arithmetic

extension Matrix {
    static func elementwise(_ a: Matrix, _ b: Matrix, _ name: String, _ op: (BigFloat, BigFloat) -> BigFloat) -> Matrix {
        precondition(a.rowCount == b.rowCount && a.columnCount == b.columnCount,
                     "Matrix \(name): shapes \(a.rowCount)×\(a.columnCount) and \(b.rowCount)×\(b.columnCount) differ")
        return Matrix(rows: a.rowCount, columns: a.columnCount, elements: zip(a.elements, b.elements).map(op))
    }

    /// The entrywise sum.
    public static func + (a: Matrix, b: Matrix) -> Matrix { elementwise(a, b, "+") { $0 + $1 } }
    /// The entrywise difference.
    public static func - (a: Matrix, b: Matrix) -> Matrix { elementwise(a, b, "-") { $0 - $1 } }
    /// The negation.
    public static prefix func - (a: Matrix) -> Matrix { a.map { -$0 } }
    /// The scaled matrix s·A.
    public static func * (s: BigFloat, a: Matrix) -> Matrix { a.map { s * $0 } }
    /// The scaled matrix A·s.
    public static func * (a: Matrix, s: BigFloat) -> Matrix { a.map { $0 * s } }
    /// The scaled matrix n·A.
    public static func * (n: Int, a: Matrix) -> Matrix { a.map { $0 * n } }
    /// The scaled matrix A·n.
    public static func * (a: Matrix, n: Int) -> Matrix { a.map { $0 * n } }
    /// The matrix A/s.
    public static func / (a: Matrix, s: BigFloat) -> Matrix { a.map { $0 / s } }
    /// The matrix A/n.
    public static func / (a: Matrix, n: Int) -> Matrix { a.map { $0 / n } }
    /// `a = a + b`.
    public static func += (a: inout Matrix, b: Matrix) { a = a + b }
    /// `a = a − b`.
    public static func -= (a: inout Matrix, b: Matrix) { a = a - b }

    /// The product AB; each entry is accumulated with fused multiply–adds, at the larger precision of A and B.
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.columnCount == b.rowCount,
                     "Matrix *: \(a.rowCount)×\(a.columnCount) times \(b.rowCount)×\(b.columnCount) does not conform")
        let precision = max(a.precision, b.precision)
        var result: [BigFloat] = []
        result.reserveCapacity(a.rowCount * b.columnCount)
        a.elements.withUnsafeBufferPointer { x in
            b.elements.withUnsafeBufferPointer { y in
                for i in 0..<a.rowCount {
                    for j in 0..<b.columnCount {
                        result.append(fusedSum(x, i * a.columnCount, 1, y, j, b.columnCount, count: a.columnCount, precision: precision))
                    }
                }
            }
        }
        return Matrix(rows: a.rowCount, columns: b.columnCount, elements: result)
    }

    /// The matrix–vector product Av: entry i is `dot(row i of A, v)`.
    public static func * (a: Matrix, v: Vector) -> Vector {
        precondition(a.columnCount == v.count, "Matrix *: \(a.rowCount)×\(a.columnCount) times a vector of length \(v.count)")
        let n = a.columnCount, vectorPrecision = v.precision
        var result: [BigFloat] = []
        result.reserveCapacity(a.rowCount)
        a.elements.withUnsafeBufferPointer { x in
            v.elements.withUnsafeBufferPointer { y in
                for i in 0..<a.rowCount {
                    // The precision dot(a.row(i), v) takes: the row's largest (the default precision for no columns).
                    var precision = n == 0 ? BigFloat.defaultPrecision : x[i * n].precision
                    for k in 0..<n where x[i * n + k].precision > precision { precision = x[i * n + k].precision }
                    result.append(fusedSum(x, i * n, 1, y, 0, 1, count: n, precision: max(precision, vectorPrecision)))
                }
            }
        }
        return Vector(result)
    }
}
