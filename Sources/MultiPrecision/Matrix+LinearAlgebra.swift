/// An error of a linear-algebra routine.
public struct LinearAlgebraError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public var description: String

    /// The matrix is singular: no non-zero pivot was left in `column` (0-based).
    public static func singular(column: Int) -> LinearAlgebraError {
        LinearAlgebraError(description: "the matrix is singular: column \(column) has no non-zero pivot")
    }
    /// The shapes do not fit.
    public static func shape(_ text: String) -> LinearAlgebraError { LinearAlgebraError(description: text) }
}

/// An LU factorisation with partial pivoting, PA = LU, of a square matrix.
public struct LUFactorization: Sendable {
    /// L (unit lower, below the diagonal) and U (on and above it), packed in one matrix.
    public let packed: Matrix
    /// Row i of PA is row `permutation[i]` of A.
    public let permutation: [Int]
    /// +1 or −1: the sign of the permutation.
    public let permutationSign: Int

    /// Factorises `matrix`, choosing at each column the pivot of largest magnitude.
    ///
    /// Throws ``LinearAlgebraError/singular(column:)`` when a column has only exact zeros left.
    public init(_ matrix: Matrix) throws {
        guard matrix.rowCount == matrix.columnCount else {
            throw LinearAlgebraError.shape("LU needs a square matrix, got \(matrix.rowCount)×\(matrix.columnCount)")
        }
        let n = matrix.rowCount
        var a = matrix
        var permutation = Array(0..<n)
        var sign = 1
        for k in 0..<n {
            var pivot = k
            for i in (k + 1)..<max(n, k + 1) where BigFloat.compareMagnitudes(a[i, k], a[pivot, k]) > 0 { pivot = i }
            if a[pivot, k].isZero { throw LinearAlgebraError.singular(column: k) }
            if pivot != k {
                for j in 0..<n { a.elements.swapAt(k * n + j, pivot * n + j) }
                permutation.swapAt(k, pivot)
                sign = -sign
            }
            let pivotValue = a[k, k]
            for i in (k + 1)..<max(n, k + 1) {
                let factor = a[i, k] / pivotValue
                a[i, k] = factor
                let negated = -factor
                for j in (k + 1)..<n { a.elements[i * n + j].addProduct(negated, a.elements[k * n + j]) }
            }
        }
        packed = a
        self.permutation = permutation
        permutationSign = sign
    }

    /// Solves Ax = b by forward and back substitution.
    public func solve(_ b: Vector) throws -> Vector {
        let n = packed.rowCount
        guard b.count == n else { throw LinearAlgebraError.shape("solve: right-hand side of length \(b.count) for \(n)×\(n)") }
        var x = Vector(permutation.map { b[$0] })
        for i in 0..<n {
            for j in 0..<i { x.elements[i].addProduct(-packed[i, j], x.elements[j]) }
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in (i + 1)..<max(n, i + 1) { x.elements[i].addProduct(-packed[i, j], x.elements[j]) }
            x.elements[i] /= packed[i, i]
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

extension Matrix {
    /// The solution x of Ax = b (LU with partial pivoting).
    ///
    /// Throws ``LinearAlgebraError`` for a non-square or exactly singular A.
    public func solve(_ b: Vector) throws -> Vector { try LUFactorization(self).solve(b) }

    /// The solution X of AX = B, column by column.
    public func solve(_ b: Matrix) throws -> Matrix {
        let lu = try LUFactorization(self)
        return Matrix(columnVectors: try (0..<b.columnCount).map { try lu.solve(b.column($0)) })
    }

    /// The inverse A⁻¹ (LU with partial pivoting). Throws for a non-square or exactly singular A.
    public func inverse() throws -> Matrix { try solve(Matrix.identity(rowCount, precision: precision)) }

    /// The determinant (0 for an exactly singular matrix).
    public var determinant: BigFloat {
        (try? LUFactorization(self).determinant) ?? BigFloat(0, precision: precision)
    }
}
