import CMPFR
import Testing
import MultiPrecision

/// The n×n Hilbert matrix Hᵢⱼ = 1/(i + j + 1) (0-based), each entry rounded once.
func hilbert(_ n: Int, precision: Int) -> Matrix {
    Matrix(rows: n, columns: n) { i, j in BigFloat(numerator: 1, denominator: i + j + 1, precision: precision) }
}

func binomial(_ n: Int, _ k: Int) -> Int {
    guard k >= 0 && k <= n else { return 0 }
    var result = 1
    for i in 0..<k { result = result * (n - i) / (i + 1) }
    return result
}

/// The exact inverse of the Hilbert matrix (1-based closed form):
/// (H⁻¹)ᵢⱼ = (−1)^{i+j} (i+j−1) C(n+i−1, n−j) C(n+j−1, n−i) C(i+j−2, i−1)².
func hilbertInverse(_ n: Int) -> [[Int]] {
    (1...n).map { i in
        (1...n).map { j in
            let sign = (i + j) % 2 == 0 ? 1 : -1
            let c = binomial(i + j - 2, i - 1)
            return sign * (i + j - 1) * binomial(n + i - 1, n - j) * binomial(n + j - 1, n - i) * c * c
        }
    }
}

@Suite("Linear algebra against exact rational results")
struct LinearAlgebraTests {
    @Test("the Hilbert inverse has the closed-form integer entries", arguments: [6, 7, 8])
    func hilbertInverseEntries(_ n: Int) throws {
        let exact = hilbertInverse(n)
        #expect(exact[0][0] == n * n)                    // a known entry of the closed form
        var previousWorst = 0.0
        for precision in [256, 512] {
            let inverse = try hilbert(n, precision: precision).inverse()
            #expect(inverse.rowCount == n && inverse.columnCount == n && inverse.precision == precision)
            var worst = Double.infinity
            for i in 0..<n {
                for j in 0..<n {
                    let reference = BigFloat(exact[i][j], precision: precision)
                    worst = Swift.min(worst, correctDigits(inverse[i, j], reference: reference))
                    // Rounded to the nearest integer, the entry is exact.
                    var rounded = inverse[i, j]
                    rounded.withMutableMPFR { _ = mpfr_rint($0, $0, MPFR_RNDN) }
                    #expect(rounded == reference, "(\(i), \(j)) at \(precision) bits")
                }
            }
            // cond(H₈) ≈ 1.5·10¹⁰: about log₁₀ cond digits are lost, no more.
            #expect(worst > Double(precision) * 0.30103 - 14, "\(worst) digits at \(precision) bits")
            // Doubling the precision sharpens the result by about as many digits.
            if precision == 512 { #expect(worst > previousWorst + 70) }
            previousWorst = worst
        }
    }

    @Test("H·H⁻¹ is the identity to working accuracy", arguments: [6, 8])
    func productIsIdentity(_ n: Int) throws {
        let h = hilbert(n, precision: 300)
        let residual = h * (try h.inverse()) - Matrix.identity(n, precision: 300)
        #expect(residual.maxNorm < BigFloat(mantissa: 1, exponent: -240, precision: 64))
    }

    @Test("solve: H x = (1,…,1) gives the integer row sums of H⁻¹", arguments: [6, 7, 8])
    func solve(_ n: Int) throws {
        let exact = hilbertInverse(n).map { $0.reduce(0, +) }
        let ones = Vector((0..<n).map { _ in BigFloat(1, precision: 256) })
        let x = try hilbert(n, precision: 256).solve(ones)
        for i in 0..<n {
            #expect(correctDigits(x[i], reference: BigFloat(exact[i], precision: 256)) > 60)
        }
        // A dyadic system solved exactly: [[2, 1], [1, 3]] x = (3, 5) has x = (4/5, 7/5).
        let a = Matrix([[BigFloat(2, precision: 64), BigFloat(1, precision: 64)], [BigFloat(1, precision: 64), BigFloat(3, precision: 64)]])
        let y = try a.solve(Vector([BigFloat(3, precision: 64), BigFloat(5, precision: 64)]))
        #expect(correctDigits(y[0], reference: BigFloat(numerator: 4, denominator: 5, precision: 64)) > 18)
        #expect(correctDigits(y[1], reference: BigFloat(numerator: 7, denominator: 5, precision: 64)) > 18)
        // Several right-hand sides at once.
        let b = Matrix.identity(n, precision: 256)
        let inverse = try hilbert(n, precision: 256).solve(b)
        #expect(inverse == (try hilbert(n, precision: 256).inverse()))
    }

    @Test("det H = c_n⁴ / c_{2n} with c_n = ∏_{i<n} i!", arguments: [6, 7, 8])
    func hilbertDeterminant(_ n: Int) {
        let precision = 512
        func c(_ m: Int) -> BigFloat {          // exact: fewer than 400 bits for m ≤ 16
            var product = BigFloat(1, precision: 1024)
            var factorial = BigFloat(1, precision: 1024)
            for i in 1..<m {
                factorial *= i
                product *= factorial
            }
            return product
        }
        let cn = c(n)
        let reference = BigFloat(pow(cn, 4) / c(2 * n), precision: precision)
        let determinant = hilbert(n, precision: precision).determinant
        #expect(determinant.precision == precision)
        #expect(correctDigits(determinant, reference: reference) > 130)
        if n == 6 { #expect(reference.formatted(digits: 10) == "5.367299887e-18") }   // 1/186313420339200000
    }

    @Test("a thrown error names the caller's file and line, also through inverse → solve → LU")
    func callSite() throws {
        let singular = Matrix([[1, 2], [2, 4]].map { $0.map { BigFloat($0, precision: 64) } })
        let lu = try LUFactorization(Matrix.identity(2, precision: 64))
        let calls: [(line: Int, call: () throws -> Void)] = [
            (#line, { _ = try singular.inverse() }),
            (#line, { _ = try singular.solve(Vector(zeros: 2, precision: 64)) }),
            (#line, { _ = try singular.solve(Matrix.identity(2, precision: 64)) }),
            (#line, { _ = try LUFactorization(singular) }),
            (#line, { _ = try Matrix(rows: 2, columns: 3, precision: 64).inverse() }),
            (#line, { _ = try lu.solve(Vector(zeros: 3, precision: 64)) }),
        ]
        for (line, call) in calls {
            do {
                try call()
                Issue.record("the call at line \(line) did not throw")
            } catch let error as LinearAlgebraError {
                #expect(error.site.file == #filePath && error.site.line == line, "\(error)")
                #expect(error.description == "\(error.message) (thrown at \(#filePath):\(line))")
            }
        }
        let explicit = LinearAlgebraError.singular(column: 0, file: "x.md", line: 12)
        #expect(explicit.description == "the matrix is singular: column 0 has no non-zero pivot (thrown at x.md:12)")
        let here = #line; let implicit = LinearAlgebraError.singular(column: 0)
        #expect(implicit.site == CallSite(file: #filePath, line: UInt(here)))
    }

    @Test("singular and non-square input throws LinearAlgebraError")
    func singular() throws {
        func m(_ rows: [[Int]]) -> Matrix { Matrix(rows.map { $0.map { BigFloat($0, precision: 64) } }) }
        #expect(throws: LinearAlgebraError.singular(column: 1)) { try m([[1, 2], [2, 4]]).inverse() }
        #expect(throws: LinearAlgebraError.singular(column: 2)) { try m([[2, 4, 6], [1, 2, 3], [4, 1, 0]]).inverse() }
        #expect(throws: LinearAlgebraError.singular(column: 0)) { try Matrix(rows: 3, columns: 3, precision: 64).solve(Vector(zeros: 3, precision: 64)) }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 3, precision: 64).inverse() }
        #expect(throws: LinearAlgebraError.self) { try m([[1, 0], [0, 1]]).solve(Vector(zeros: 3, precision: 64)) }
        #expect(m([[1, 2], [2, 4]]).determinant.isZero)
        #expect(m([[2, 4, 6], [1, 2, 3], [4, 1, 0]]).determinant.isZero)
        #expect(m([[0, 1], [1, 0]]).determinant == BigFloat(-1, precision: 64))          // pivoting flips the sign
        #expect(m([[3, 1], [4, 2]]).determinant == BigFloat(2, precision: 64))
    }

    @Test("reshape and flatten are inverse row-major maps")
    func reshape() {
        let v = Vector((0..<12).map { BigFloat($0, precision: 64) })
        let a = Matrix(reshaping: v, rows: 3, columns: 4)
        #expect(a[1, 2] == BigFloat(6, precision: 64))            // row-major: 1·4 + 2
        #expect(a.flattened == v)
        #expect(Matrix(reshaping: a.flattened, rows: 4, columns: 3).flattened == v)
        #expect(a.row(2) == Vector((8..<12).map { BigFloat($0, precision: 64) }))
        #expect(a.column(1) == Vector([1, 5, 9].map { BigFloat($0, precision: 64) }))
        #expect(a.submatrix(rows: 1..<3, columns: 2..<4) == Matrix([[6, 7], [10, 11]].map { $0.map { BigFloat($0, precision: 64) } }))
        #expect(v[2..<5] == Vector([2, 3, 4].map { BigFloat($0, precision: 64) }))
    }

    @Test("transpose, outer, dot, products and norms")
    func basics() {
        func int(_ n: Int) -> BigFloat { BigFloat(n, precision: 64) }
        let a = Matrix([[int(1), int(2), int(3)], [int(4), int(5), int(6)]])
        let t = a.transposed
        #expect(t.rowCount == 3 && t.columnCount == 2 && t[2, 1] == int(6) && t.transposed == a)
        let u = Vector([int(1), int(2)]), w = Vector([int(3), int(4), int(5)])
        let o = outer(u, w)
        #expect(o == Matrix([[int(3), int(4), int(5)], [int(6), int(8), int(10)]]))
        #expect(dot(w, w) == int(50) && dot(Vector([]), Vector([])).isZero)
        #expect(a * w == Vector([int(26), int(62)]))
        #expect(a * t == Matrix([[int(14), int(32)], [int(32), int(77)]]))
        #expect(Vector([int(3), int(4)]).norm == int(5))
        #expect(Matrix([[int(3)], [int(4)]]).frobeniusNorm == int(5))
        #expect(Vector([int(-7), int(4)]).maxNorm == int(7))
        #expect(Matrix.identity(3, precision: 64) * w == w)
        #expect(Matrix.identity(2, precision: 64).trace == int(2))
        #expect(Matrix.diagonal(u) == Matrix([[int(1), int(0)], [int(0), int(2)]]))
        #expect(2 * u == u + u && u * int(3) == Vector([int(3), int(6)]) && -u == Vector([int(-1), int(-2)]))
        #expect((a - a) == Matrix(rows: 2, columns: 3, precision: 64) && a * 2 == a + a && a / int(2) == a * BigFloat(0.5, precision: 64))
        #expect(Matrix(columnVectors: [u, u]) == Matrix([[int(1), int(1)], [int(2), int(2)]]))
        #expect(Matrix(rowVectors: [u, u]).transposed == Matrix(columnVectors: [u, u]))
        // A dot product of 1000 dyadic terms is exact when the accumulator is wide enough.
        let x = Vector((1...1000).map { BigFloat(mantissa: $0, exponent: -$0 % 7, precision: 64) })
        var exact = BigFloat(0, precision: 256)
        for i in 1...1000 { exact += BigFloat(mantissa: i * i, exponent: -2 * (i % 7), precision: 256) }
        #expect(dot(Vector(x.elements.map { BigFloat($0, precision: 256) }), x) == exact)
    }

    @Test("the rows and columns with a nonzero entry: −0 is zero, NaN and a lone tiny entry are not")
    func support() {
        func int(_ n: Int) -> BigFloat { BigFloat(n, precision: 64) }
        let tiny = BigFloat(mantissa: 1, exponent: -1000, precision: 64)
        // Rows 0 and 3 are nonzero (row 3 only by a NaN); columns 1 (tiny), 2 (NaN) and 4.
        let m = Matrix([[int(0), tiny, int(0), int(0), int(5)],
                        [int(0), int(0), int(0), int(0), int(0)],
                        [-int(0), int(0), int(0), int(0), int(0)],
                        [int(0), int(0), .nan(precision: 64), int(0), int(0)]])
        #expect(m.nonzeroRows == [0, 3])
        #expect(m.nonzeroColumns == [1, 2, 4])
        #expect(m.transposed.nonzeroRows == m.nonzeroColumns && m.transposed.nonzeroColumns == m.nonzeroRows)
        #expect(Matrix(rows: 3, columns: 2, precision: 64).nonzeroRows.isEmpty)
        #expect(Matrix(rows: 0, columns: 4, precision: 64).nonzeroColumns.isEmpty)
        #expect(Matrix.identity(4, precision: 64).nonzeroColumns == [0, 1, 2, 3])
    }
}
