import CMPFR
import Testing
import MultiPrecision

/// A copy that is mutated never changes the original: BigFloat, Vector and Matrix.
@Suite("Copy-on-write")
struct CopyOnWriteTests {
    let third = BigFloat(numerator: 1, denominator: 3, precision: 128)
    let two = BigFloat(2, precision: 128)

    @Test("BigFloat: compound assignment, addProduct and raw MPFR mutation of a copy")
    func bigFloat() {
        let original = third
        let text = original.exactDecimal
        var copy = original
        copy += two
        #expect(original.exactDecimal == text && copy == third + two)
        copy = original
        copy *= 3
        #expect(original.exactDecimal == text)
        copy = original
        copy.addProduct(two, two)
        #expect(original.exactDecimal == text && copy == fma(two, two, third))
        copy = original
        copy.withMutableMPFR { _ = mpfr_set_si($0, 7, MPFR_RNDN) }
        #expect(original.exactDecimal == text && copy == BigFloat(7, precision: 128))
        // Mutating the original leaves an earlier copy alone too.
        var source = third
        let snapshot = source
        source -= two
        #expect(snapshot.exactDecimal == text)
    }

    @Test("Vector: subscript set, element +=, addProduct, vector +=")
    func vector() {
        let original = Vector([third, two, -third])
        let texts = original.elements.map(\.exactDecimal)
        var copy = original
        copy[0] = two
        copy[1] += third
        copy.elements[2].addProduct(two, two)
        copy += Vector([two, two, two])
        #expect(original.elements.map(\.exactDecimal) == texts)
        #expect(copy[0] == two + two)
        #expect(copy != original)
        var again = original
        again -= original
        #expect(again == Vector(zeros: 3, precision: 128))
        #expect(original.elements.map(\.exactDecimal) == texts)
    }

    @Test("Matrix: subscript set, element +=, addProduct, setRow, matrix +=")
    func matrix() {
        let original = Matrix([[third, two], [-two, third]])
        let texts = original.elements.map(\.exactDecimal)
        var copy = original
        copy[0, 0] = two
        copy[0, 1] += third
        copy.elements[2].addProduct(third, third)
        copy.setRow(1, Vector([two, two]))
        copy += original
        #expect(original.elements.map(\.exactDecimal) == texts)
        #expect(copy[0, 0] == two + third)
        var column = original
        column.setColumn(0, Vector([two, two]))
        #expect(original.elements.map(\.exactDecimal) == texts)
        // Results derived from a matrix do not alias it either.
        var transposed = original.transposed
        transposed[0, 1] = BigFloat(99, precision: 128)
        var flat = original.flattened
        flat[0] = BigFloat(99, precision: 128)
        #expect(original.elements.map(\.exactDecimal) == texts)
    }

    @Test("LU factorisation does not modify its input")
    func factorisationInput() throws {
        let original = Matrix([[third, two], [two, third]])
        let texts = original.elements.map(\.exactDecimal)
        _ = try original.inverse()
        _ = original.determinant
        _ = try original.solve(Vector([two, third]))
        #expect(original.elements.map(\.exactDecimal) == texts)
    }

    @Test("zero matrices, zero vectors and identities: changing one entry in place changes no other")
    func sharedZeros() throws {
        var zeros = Matrix(rows: 2, columns: 2, precision: 128)
        zeros.elements[0] += two
        zeros.elements[3].addProduct(third, two)
        zeros.elements[1].withMutableMPFR { _ = mpfr_set_si($0, 5, MPFR_RNDN) }
        #expect(zeros.elements.map(\.exactDecimal) == [two, BigFloat(5, precision: 128), BigFloat(0, precision: 128), third * 2].map(\.exactDecimal))
        var identity = Matrix.identity(3, precision: 128)
        identity.elements[0] *= 3
        identity.elements[1] -= 1
        #expect(identity[1, 1] == BigFloat(1, precision: 128) && identity[0, 0] == BigFloat(3, precision: 128))
        #expect(identity[0, 1] == BigFloat(-1, precision: 128) && identity[1, 0].isZero && identity[2, 1].isZero)
        var vector = Vector(zeros: 3, precision: 128)
        vector.elements[2] += third
        #expect(vector[0].isZero && vector[1].isZero && vector[2] == third)
        // The solve of a system whose right-hand side shares one stored zero leaves it alone.
        let b = Vector(zeros: 2, precision: 128)
        _ = try Matrix([[two, third], [third, two]]).solve(b)
        #expect(b.elements.allSatisfy { $0.isZero && $0.isExact })
    }
}
