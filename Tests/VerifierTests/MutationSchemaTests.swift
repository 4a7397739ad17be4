import Testing
@testable import Verifier

/// The schema text of one block of `code` with every site switched in.
func schemaText(_ code: String) -> (text: String, sites: [MutantSite]) {
    let block = CodeBlock(fenceLine: 1, closingLine: 3 + code.split(separator: "\n").count, language: "swift", info: "swift",
                          role: .run, lines: code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    let schema = MutantSchema(blocks: [block])
    return (schema.renderedBlocks(excluding: [])[0], schema.sites)
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
