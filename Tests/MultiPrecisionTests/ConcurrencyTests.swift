import Testing
import MultiPrecision

/// Many tasks computing at different precisions at once give exactly the sequential results.
@Suite("Concurrency")
struct ConcurrencyTests {
    static let precisions = [53, 64, 100, 128, 200, 256, 333, 512, 1000, 2048]

    /// A mixed workload at the task-local default precision, with suspension points between the steps
    /// (so a task may resume on another thread), summarised as exact decimal strings.
    static func workload(_ index: Int) async -> [String] {
        var out: [String] = []
        let p = BigFloat.defaultPrecision
        let x = BigFloat(numerator: index + 1, denominator: 7)
        out.append(exp(x).exactDecimal)
        await Task.yield()
        out.append(sin(x * 1000).exactDecimal)
        out.append(BigFloat.pi().exactDecimal)
        out.append(log1p(x).exactDecimal)
        await Task.yield()
        var inputs = SeededInputs(seed: UInt64(index), precision: p)
        let v = inputs.vector(40), w = inputs.vector(40)
        out.append(dot(v, w).exactDecimal)
        await Task.yield()
        let m = inputs.matrix(6, 6)
        if let inverse = try? m.inverse() { out.append(inverse.elements.map(\.exactDecimal).joined(separator: ",")) }
        out.append(erf(x).formatted(digits: 30))
        let interval = exp(Interval(numerator: index + 1, denominator: 3, precision: p))
        out.append(interval.description)
        out.append(String(p == BigFloat.defaultPrecision))
        out.append(String(x.precision))
        return out
    }

    @Test("parallel results equal sequential ones, and task-local precision survives suspension")
    func parallelEqualsSequential() async {
        let jobs = (0..<60).map { ($0, Self.precisions[$0 % Self.precisions.count]) }
        var sequential: [[String]] = []
        for (index, precision) in jobs {
            sequential.append(await BigFloat.$defaultPrecision.withValue(precision) { await Self.workload(index) })
        }
        for round in 0..<2 {
            let parallel = await withTaskGroup(of: (Int, [String]).self) { group in
                for (index, precision) in jobs {
                    group.addTask {
                        await BigFloat.$defaultPrecision.withValue(precision) { (index, await Self.workload(index)) }
                    }
                }
                var results = Array(repeating: [String](), count: jobs.count)
                for await (index, result) in group { results[index] = result }
                return results
            }
            for (index, precision) in jobs {
                #expect(parallel[index] == sequential[index], "round \(round), job \(index) at \(precision) bits")
                #expect(parallel[index].last == String(precision))
            }
        }
    }

    @Test("values shared between tasks are read concurrently and copied on mutation")
    func sharedValues() async {
        let shared = BigFloat.pi(precision: 512)
        let vector = Vector((1...50).map { BigFloat(numerator: $0, denominator: 3, precision: 512) })
        let expected = dot(vector, vector) * shared
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<32 {
                group.addTask {
                    var mine = shared
                    mine += i          // private copy
                    var local = vector
                    local[0] = mine
                    return dot(vector, vector) * shared == expected && local[0] != vector[0]
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 32 && results.allSatisfy { $0 })
        #expect(shared == BigFloat.pi(precision: 512))
    }
}
