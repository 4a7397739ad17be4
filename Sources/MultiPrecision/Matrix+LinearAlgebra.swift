import CMPFR

/// The place of the call that threw an error: the caller's `#filePath` and `#line`.
///
/// In a derivation program both come from its `#sourceLocation` directives, so they name the Markdown line (or
/// the line of an included Swift file) that made the call.
public struct CallSite: CustomStringConvertible, Sendable, Equatable {
    /// The file as the compiler named it at the call.
    public var file: String
    /// The line of the call (1-based).
    public var line: Int

    /// The call site `file`:`line`; the defaults are the place of the caller.
    public init(file: StaticString = #filePath, line: UInt = #line) {
        self.file = file.description
        self.line = Int(line)
    }

    /// `FILE:LINE`.
    public var description: String { "\(file):\(line)" }
}

/// An error of a linear-algebra routine, with the place of the call that threw it.
public struct LinearAlgebraError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public var message: String
    /// The call of the public routine that threw (`inverse()`, `solve(_:)`, the LU factorisation).
    public var site: CallSite

    /// What went wrong and where: `MESSAGE (thrown at FILE:LINE)`.
    public var description: String { "\(message) (thrown at \(site))" }

    /// The matrix is singular: no non-zero pivot was left in `column` (0-based), in the call at `file`:`line`.
    public static func singular(column: Int, file: StaticString = #filePath, line: UInt = #line) -> LinearAlgebraError {
        LinearAlgebraError(message: "the matrix is singular: column \(column) has no non-zero pivot", site: CallSite(file: file, line: line))
    }
    /// The shapes do not fit, in the call at `file`:`line`.
    public static func shape(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> LinearAlgebraError {
        LinearAlgebraError(message: text, site: CallSite(file: file, line: line))
    }
}

/// An LU factorisation with partial pivoting, PA = LU, of a square matrix.
public struct LUFactorization: Sendable {
    /// L (unit lower, below the diagonal) and U (on and above it), packed in one matrix.
    public let packed: Matrix
    /// Row i of PA is row `permutation[i]` of A.
    public let permutation: [Int]
    /// +1 or −1: the sign of the permutation.
    public let permutationSign: Int
    /// −L below the diagonal, U on it and −U above it (negation is exact), so that both substitutions are
    /// fused multiply–adds on the stored entries.
    let negated: Matrix
    /// The precision of every entry of ``packed``, when they all have the same one (the fast path).
    let uniformPrecision: Int?

    /// Factorises `matrix`, choosing at each column the pivot of largest magnitude.
    ///
    /// Throws ``LinearAlgebraError/singular(column:file:line:)`` when a column has only exact zeros left, and
    /// ``LinearAlgebraError/shape(_:file:line:)`` for a matrix that is not square; the error names `file`:`line`,
    /// by default the place of the call.
    public init(_ matrix: Matrix, file: StaticString = #filePath, line: UInt = #line) throws {
        guard matrix.rowCount == matrix.columnCount else {
            throw LinearAlgebraError.shape("LU needs a square matrix, got \(matrix.rowCount)×\(matrix.columnCount)", file: file, line: line)
        }
        let n = matrix.rowCount
        var permutation = Array(0..<n)
        var sign = 1
        let packed: Matrix
        var negated: [BigFloat]
        if let bits = matrix.uniformPrecision {
            // Every entry has `bits` bits, so every operation below is done in place at `bits` bits, as the
            // general loop does it; the entries get storage of their own and are reached through their MPFR
            // headers, rows are swapped through `row` (logical row → stored row), and histories are kept apart.
            var elements = matrix.elements
            let entry = BigFloat.uniqueHeaders(&elements)
            var history = elements.map(\.history)
            negated = elements
            var row = Array(0..<n)
            for k in 0..<n {
                var pivot = k
                for i in (k + 1)..<max(n, k + 1) where mpfr_cmpabs(entry[row[i] * n + k], entry[row[pivot] * n + k]) > 0 { pivot = i }
                if cmpfr_zero_p(entry[row[pivot] * n + k]) != 0 { throw LinearAlgebraError.singular(column: k, file: file, line: line) }
                if pivot != k {
                    row.swapAt(k, pivot)
                    permutation.swapAt(k, pivot)
                    sign = -sign
                }
                let kk = row[k] * n + k
                for i in (k + 1)..<max(n, k + 1) {
                    // lᵢₖ = aᵢₖ / aₖₖ in place, then aᵢⱼ = (−lᵢₖ)·aₖⱼ + aᵢⱼ.
                    let ik = row[i] * n + k
                    let ternary = mpfr_div(entry[ik], entry[ik], entry[kk], MPFR_RNDN)
                    history[ik] = RoundingHistory.merge(history[ik], history[kk]).after(ternary: ternary, precision: bits, result: entry[ik])
                    let factor = -BigFloat(storage: elements[ik].storage, history: history[ik])
                    let minusFactor = factor.storage.withUnsafeMutablePointerToHeader { $0 }
                    for j in (k + 1)..<max(n, k + 1) {
                        let ij = row[i] * n + j, kj = row[k] * n + j
                        let ternary = mpfr_fma(entry[ij], minusFactor, entry[kj], entry[ij], MPFR_RNDN)
                        history[ij].fuse(factor.history, history[kj], ternary: ternary, precision: bits, result: entry[ij])
                    }
                    negated[ik] = factor
                }
            }
            var rows: [BigFloat] = [], minusRows: [BigFloat] = []
            rows.reserveCapacity(n * n)
            minusRows.reserveCapacity(n * n)
            for i in 0..<n {
                for j in 0..<n {
                    let stored = row[i] * n + j
                    rows.append(BigFloat(storage: elements[stored].storage, history: history[stored]))
                    minusRows.append(j < i ? negated[stored] : j == i ? rows[rows.count - 1] : -rows[rows.count - 1])
                }
            }
            packed = Matrix(rows: n, columns: n, elements: rows)
            negated = minusRows
        } else {
            var a = matrix
            for k in 0..<n {
                var pivot = k
                for i in (k + 1)..<max(n, k + 1) where BigFloat.compareMagnitudes(a[i, k], a[pivot, k]) > 0 { pivot = i }
                if a[pivot, k].isZero { throw LinearAlgebraError.singular(column: k, file: file, line: line) }
                if pivot != k {
                    for j in 0..<n { a.elements.swapAt(k * n + j, pivot * n + j) }
                    permutation.swapAt(k, pivot)
                    sign = -sign
                }
                let pivotValue = a[k, k]
                for i in (k + 1)..<max(n, k + 1) {
                    let factor = a[i, k] / pivotValue
                    a[i, k] = factor
                    let minusFactor = -factor
                    for j in (k + 1)..<n { a.elements[i * n + j].addProduct(minusFactor, a.elements[k * n + j]) }
                }
            }
            packed = a
            negated = (0..<(n * n)).map { index in index / n == index % n ? a.elements[index] : -a.elements[index] }
        }
        self.packed = packed
        self.negated = Matrix(rows: n, columns: n, elements: negated)
        self.permutation = permutation
        permutationSign = sign
        uniformPrecision = packed.uniformPrecision
    }

    /// Solves Ax = b by forward and back substitution.
    ///
    /// Throws ``LinearAlgebraError/shape(_:file:line:)``, naming `file`:`line` (by default the place of the call),
    /// when b's length is not A's size.
    public func solve(_ b: Vector, file: StaticString = #filePath, line: UInt = #line) throws -> Vector {
        let n = packed.rowCount
        guard b.count == n else { throw LinearAlgebraError.shape("solve: right-hand side of length \(b.count) for \(n)×\(n)", file: file, line: line) }
        return Vector(withSubstitution { substitute in substitute(permutation.map { b[$0] }) })
    }

    /// The solution X of AX = B, column by column; a shape error names `file`:`line`.
    func solve(_ b: Matrix, file: StaticString = #filePath, line: UInt = #line) throws -> Matrix {
        let n = packed.rowCount, m = b.columnCount
        guard b.rowCount == n else { throw LinearAlgebraError.shape("solve: right-hand side with \(b.rowCount) rows for \(n)×\(n)", file: file, line: line) }
        var result = [BigFloat](repeating: BigFloat(storage: packed.elements.first?.storage ?? .make(precision: 2), history: .exact),
                                count: n * m)
        withSubstitution { substitute in
            for column in 0..<m {
                let x = substitute(permutation.map { b.elements[$0 * m + column] })
                for i in 0..<n { result[i * m + column] = x[i] }
            }
        }
        return Matrix(rows: n, columns: m, elements: result)
    }

    /// Calls `body` with a function that solves LUx = x for a permuted right-hand side x: Ly = x (forward) and
    /// then Ux = y (back) in place, xᵢ += (−Lᵢⱼ)·xⱼ for j < i, then xᵢ += (−Uᵢⱼ)·xⱼ for j > i and xᵢ /= Uᵢᵢ, each
    /// a correctly rounded MPFR operation.
    func withSubstitution<R>(_ body: (([BigFloat]) -> [BigFloat]) -> R) -> R {
        // The headers and histories of the factors, gathered once for every right-hand side.
        var entry: [mpfr_ptr] = []
        var entryHistory: [RoundingHistory] = []
        if uniformPrecision != nil {
            entry = negated.elements.map { $0.storage.withUnsafeMutablePointerToHeader { $0 } }
            entryHistory = negated.elements.map(\.history)
        }
        return withExtendedLifetime(negated) { body { substituted($0, entry, entryHistory) } }
    }

    /// The substitutions of ``withSubstitution(_:)`` for one right-hand side; `entry` and `entryHistory` are the
    /// MPFR headers and histories of ``negated`` when its precision is uniform.
    func substituted(_ permuted: [BigFloat], _ entry: [mpfr_ptr], _ entryHistory: [RoundingHistory]) -> [BigFloat] {
        let n = packed.rowCount
        var x = permuted
        if let bits = uniformPrecision, x.allSatisfy({ $0.precision == bits }) {
            // Every operand has `bits` bits: the same operations, in place on storage of x's own, with the
            // entries reached through their MPFR headers (no allocation or reference counting in the loops).
            let xs = BigFloat.uniqueHeaders(&x)
            var history = x.map(\.history)
            do {
                xs.withUnsafeBufferPointer { xs in
                    entry.withUnsafeBufferPointer { entry in
                        entryHistory.withUnsafeBufferPointer { entryHistory in
                            history.withUnsafeMutableBufferPointer { history in
                                for i in 0..<n {
                                    for j in 0..<i {
                                        let ternary = mpfr_fma(xs[i], entry[i * n + j], xs[j], xs[i], MPFR_RNDN)
                                        history[i].fuse(entryHistory[i * n + j], history[j], ternary: ternary, precision: bits, result: xs[i])
                                    }
                                }
                                for i in stride(from: n - 1, through: 0, by: -1) {
                                    for j in (i + 1)..<max(n, i + 1) {
                                        let ternary = mpfr_fma(xs[i], entry[i * n + j], xs[j], xs[i], MPFR_RNDN)
                                        history[i].fuse(entryHistory[i * n + j], history[j], ternary: ternary, precision: bits, result: xs[i])
                                    }
                                    let ternary = mpfr_div(xs[i], xs[i], entry[i * n + i], MPFR_RNDN)
                                    history[i] = RoundingHistory.merge(history[i], entryHistory[i * n + i])
                                        .after(ternary: ternary, precision: bits, result: xs[i])
                                }
                            }
                        }
                    }
                }
            }
            for i in 0..<n { x[i].history = history[i] }
            return x
        }
        for i in 0..<n {
            for j in 0..<i { x[i].addProduct(negated[i, j], x[j]) }
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in (i + 1)..<max(n, i + 1) { x[i].addProduct(negated[i, j], x[j]) }
            x[i] /= packed[i, i]
        }
        return x
    }

    /// det A = sign(P) · Π Uᵢᵢ.
    public var determinant: BigFloat {
        var product = BigFloat(permutationSign, precision: packed.precision)
        for i in 0..<packed.rowCount { product *= packed[i, i] }
        return product
    }
}

extension BigFloat {
    /// The MPFR headers of `values`, after giving every value storage of its own (a shared one is copied, with
    /// its value and history), for loops that call MPFR in place. The pointers stay valid while `values` holds
    /// the same storage.
    static func uniqueHeaders(_ values: inout [BigFloat]) -> [mpfr_ptr] {
        values.indices.map { index in
            if !isKnownUniquelyReferenced(&values[index].storage) {
                values[index] = BigFloat(values[index], precision: values[index].precision)
            }
            return values[index].storage.withUnsafeMutablePointerToHeader { $0 }
        }
    }
}

extension Matrix {
    /// The solution x of Ax = b (LU with partial pivoting).
    ///
    /// Throws ``LinearAlgebraError`` for a non-square or exactly singular A, or a b of the wrong length; the error
    /// names `file`:`line`, by default the place of the call.
    public func solve(_ b: Vector, file: StaticString = #filePath, line: UInt = #line) throws -> Vector {
        try LUFactorization(self, file: file, line: line).solve(b, file: file, line: line)
    }

    /// The solution X of AX = B, column by column. Throws as the solve for a vector does.
    public func solve(_ b: Matrix, file: StaticString = #filePath, line: UInt = #line) throws -> Matrix {
        try LUFactorization(self, file: file, line: line).solve(b, file: file, line: line)
    }

    /// The inverse A⁻¹ (LU with partial pivoting). Throws ``LinearAlgebraError`` for a non-square or exactly
    /// singular A, naming `file`:`line`, by default the place of the call.
    public func inverse(file: StaticString = #filePath, line: UInt = #line) throws -> Matrix {
        try solve(Matrix.identity(rowCount, precision: precision), file: file, line: line)
    }

    /// The determinant (0 for an exactly singular matrix).
    public var determinant: BigFloat {
        (try? LUFactorization(self).determinant) ?? BigFloat(0, precision: precision)
    }
}
