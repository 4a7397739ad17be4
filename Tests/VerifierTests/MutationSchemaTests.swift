import Testing
@testable import Verifier

/// The schema text of one block of `code` with every site switched in.
func schemaText(_ code: String) -> (text: String, sites: [MutantSite]) {
    let block = CodeBlock(fenceLine: 1, closingLine: 3 + code.split(separator: "\n").count, language: "swift", info: "swift",
                          role: .run, lines: code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    let schema = MutantSchema(blocks: [block])
    return (schema.renderedBlocks(excluding: []).blocks[0], schema.sites)
}

@Suite("Mutant schema: where the mutants are and how they are switched")
struct MutationSchemaTests {
    @Test("a for loop over a range with a compound assignment in its body")
    func forLoop() {
        let (text, sites) = schemaText("for k in 1...4 { total += number(k) }")
        print(text)
        #expect(sites.count == 9)
    }
}

@Suite("Mutant schema: labels are not indices")
struct MutationSchemaLabelTests {
    @Test("a subscript's `default:` label gets no index mutant; its index does")
    func defaultLabel() {
        let (text, sites) = schemaText("map[r, default: zero] += one")
        #expect(sites.filter { $0.mutationOperator == .index }.count == 2)
        #expect(!text.contains("(default)"))
    }
}

@Suite("Mutant schema: one-line statements are switched whole")
struct MutationStatementSwitchTests {
    @Test("an expression statement: one branch per mutant, the statement as written last")
    func expressionStatement() throws {
        let (text, sites) = schemaText("output.add(x[3 + d], 2 * y)")
        #expect(!text.contains("_mutant(") && !text.contains("_mutants("))
        #expect(text.hasSuffix("else { output.add(x[3 + d], 2 * y) }"))
        let swap = try #require(sites.first { $0.mutationOperator == .arithmetic && $0.original == "*" })
        #expect(text.contains("if _mutantActive(\(swap.id)) { output.add(x[3 + d], 2 / y) } else "))
        let shifted = try #require(sites.first { $0.mutationOperator == .index && $0.replacement == "[i + 1]" })
        #expect(text.contains("if _mutantActive(\(shifted.id)) { output.add(x[(3 + d) + 1], 2 * y) } else "))
        #expect(text.components(separatedBy: "_mutantActive(").count - 1 == sites.count)
    }

    @Test("a declaration: each initialiser becomes an if expression over its own mutants")
    func declaration() throws {
        let (text, sites) = schemaText("let a: Double = 2 * b, c = 1")
        #expect(text.hasPrefix("let a: Double = if _mutantActive("))
        #expect(text.contains("else { 2 * b }, c = if _mutantActive("))
        #expect(text.hasSuffix("else { 1 }"))
        let negated = try #require(sites.first { $0.mutationOperator == .negationInsertion && $0.column == 17 })
        #expect(text.contains("if _mutantActive(\(negated.id)) { -(2 * b) } else "))
    }

    @Test("statements on lines of their own, or with a body, are switched element by element")
    func multiline() {
        let (text, _) = schemaText("let total = a +\n    b * 2\nfor k in 0..<n { s += 1 }")
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.contains("_mutant(") || text.contains("_mutants("))
        #expect(text.contains("for k in "))
    }

    @Test("a claim call keeps the column it is written at, wherever its copies stand")
    func claimColumn() {
        let (text, _) = schemaText("let t = 1; claimEqual(\"t\", t, 1)")
        #expect(text.contains("claimEqual(\"t\", t, 1, column: 22)"))
        #expect(text.contains("claimEqual(\"t\", t, 2, column: 22)"))
        #expect(!text.contains("claimEqual(\"t\", t, 1)"))
    }

    @Test("a compile error inside a mutant's copy is charged to that mutant, by its column")
    func errorColumn() throws {
        let code = "y = λ + 1"
        let block = CodeBlock(fenceLine: 1, closingLine: 3, language: "swift", info: "swift", role: .run, lines: [code])
        let schema = MutantSchema(blocks: [block])
        let rendered = schema.renderedBlocks(excluding: [])
        let swap = try #require(schema.sites.first { $0.mutationOperator == .arithmetic })
        let line = rendered.blocks[0]
        // The UTF-8 column of the `-` in the swapped copy, and of the `+` in the statement as written (the last one).
        let minus = try #require(line.range(of: "λ - 1"))
        let minusColumn = line[..<minus.lowerBound].utf8.count + "λ ".utf8.count + 1
        #expect(schema.site(atLine: 2, column: minusColumn, rendered: rendered) == swap.id)
        let plus = try #require(line.range(of: "{ y = λ + 1 }", options: .backwards))
        let plusColumn = line[..<plus.lowerBound].utf8.count + "{ y = λ ".utf8.count + 1
        #expect(schema.site(atLine: 2, column: plusColumn, rendered: rendered) == nil)
    }
}
