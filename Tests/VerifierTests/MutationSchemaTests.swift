import Testing
@testable import Verifier

/// The schema of one block of `code` whose fence is on line 1 (the code starts on line 2).
func schema(_ code: String) -> MutantSchema {
    let block = CodeBlock(fenceLine: 1, closingLine: 3 + code.split(separator: "\n").count, language: "swift", info: "swift",
                          role: .run, lines: code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    return MutantSchema(blocks: [block])
}

/// The schema text of one block of `code` with every site switched in.
func schemaText(_ code: String) -> (text: String, sites: [MutantSite]) {
    let schema = schema(code)
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

    @Test("a range in a subscript is no index: `xs[(k + 1)...]` and `xs[i..<j]` get no ±1 copies, its bounds keep their mutants")
    func rangeSubscript() {
        let (_, sites) = schemaText("let a = xs[(k + 1)...]\nlet b = xs[i..<j]\nlet c = xs[i]")
        #expect(sites.filter { $0.mutationOperator == .index }.map(\.line) == [4, 4])
        #expect(sites.contains { $0.mutationOperator == .arithmetic && $0.line == 2 })
        #expect(sites.contains { $0.mutationOperator == .rangeBound && $0.line == 3 })
        // A range nested inside the index does not make the index a range.
        let (_, nested) = schemaText("let m = xs[ys[1...].count]\nlet n = xs[(0..<3).count - 1]")
        #expect(nested.filter { $0.mutationOperator == .index }.map(\.line) == [2, 2, 3, 3])
    }

    @Test("a declaration in an initialiser is switched without a slot closure, which could capture `self` before it is set")
    func initializerDeclaration() {
        let (text, _) = schemaText("struct Pair {\n    let a: Int\n    let b: Int\n    init(_ x: Int) {\n        a = x * 2\n        let t = a + 1\n        b = t\n    }\n}\nlet u = 3 + 4")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(!lines[5].contains("_mutantSlot") && lines[5].contains("_mutantActive"))
        // Outside an initialiser the slot stays: each copy is checked on its own.
        #expect(lines[9].contains("_mutantSlot"))
        // An initialiser whose parameters run over several lines, and one that throws.
        for header in ["init(x: Int,\n         y: Int) {", "init(x: Int, y: Int) throws {"] {
            let (text, _) = schemaText("struct Pair {\n    let a: Int\n    let b: Int\n    \(header)\n        a = x * 2\n        let t = a + y\n        b = t\n    }\n}")
            #expect(text.contains("let t") && !text.contains("_mutantSlot"), "\(text)")
        }
    }

    @Test("an expression's lines: a statement's header without its body, a closure argument with its body")
    func expressionLines() {
        let code = """
            for later in xs[(k + 1)...] {
                s += later
            }
            let t = xs.map {
                $0 + 1
            }
            if xs.contains(where: { x in
                x > 0 }) {
                s -= 1
            } else if s < 0 {
                s += 1
            }
            """
        let schema = schema(code)
        #expect(schema.expressionLines(file: nil, line: 2) == 2...2)
        #expect(schema.expressionLines(file: nil, line: 5) == 5...7)
        #expect(schema.expressionLines(file: nil, line: 8) == 8...9)
        #expect(schema.expressionLines(file: nil, line: 11) == 11...11)
    }
}

@Suite("Mutant schema: annotations")
struct MutationAnnotationTests {
    @Test("`mutant-data` covers a line's numbers and range bounds, not its operators; a block comment's reason ends before `*/`")
    func instanceData() {
        let (_, sites) = schemaText("let x = number(3) * y + -2 /* mutant-data: any x works */\nlet z = number(4) * y")
        let firstLine = sites.map(\.line).min() ?? 0
        let first = sites.filter { $0.line == firstLine }, second = sites.filter { $0.line == firstLine + 1 }
        #expect(first.filter { $0.mutationOperator == .literal }.allSatisfy { $0.instanceDataBecause == "any x works" })
        #expect(first.filter { $0.mutationOperator == .negationRemoval }.allSatisfy { $0.instanceDataBecause == "any x works" })
        #expect(first.filter { $0.mutationOperator == .arithmetic }.allSatisfy { $0.instanceDataBecause == nil })
        #expect(first.contains { $0.mutationOperator == .arithmetic } && first.contains { $0.mutationOperator == .literal })
        #expect(second.allSatisfy { $0.instanceDataBecause == nil } && !second.isEmpty)
    }

    @Test("a minus removed on a line of instance data is instance data before a number only")
    func instanceDataNegation() {
        let (_, sites) = schemaText("let xs = [-3, 2].map { -$0 + 1 } // mutant-data: sample points")
        let removals = sites.filter { $0.mutationOperator == .negationRemoval }.sorted { $0.column < $1.column }
        #expect(removals.count == 2)
        #expect(removals.first?.instanceDataBecause == "sample points")
        #expect(removals.last?.instanceDataBecause == nil)
    }

    @Test("an annotation is a comment that begins with its keyword; one written wrongly is an error, not a wider mark")
    func annotationGrammar() {
        func problems(_ code: String) -> [String] {
            let block = CodeBlock(fenceLine: 1, closingLine: 4, language: "swift", info: "swift", role: .run, lines: [code])
            return MutantSchema(blocks: [block]).annotationProblems.map(\.message)
        }
        // Prose that mentions the keyword marks nothing.
        let (_, prose) = schemaText("let y = x * 2 // see the note on mutant-equivalent mutants; not mutant-data: y depends on it")
        #expect(prose.allSatisfy { $0.equivalentBecause == nil && $0.instanceDataBecause == nil })
        #expect(problems("let y = x * 2 // see the note on mutant-equivalent mutants").isEmpty)
        // A space before the operator list keeps the list.
        let (_, spaced) = schemaText("let s = m.transposed * 2 // mutant-equivalent (transpose): s is symmetric")
        #expect(spaced.filter { $0.equivalentBecause != nil }.map(\.mutationOperator) == [.transpose])
        // Misspelt operators, a missing colon or reason, and an operator list on mutant-data are errors.
        #expect(problems("let y = x * 2 // mutant-equivalent(literals): y is unused").first?.contains("unknown operator `literals`") == true)
        #expect(problems("let y = x * 2 // mutant-equivalent because y is unused").count == 1)
        #expect(problems("let y = x * 2 // mutant-equivalent:").count == 1)
        #expect(problems("let y = x * 2 // mutant-data(literal): any x").count == 1)
        #expect(problems("let y = x * 2 // mutant-equivalent(literal, arithmetic): y is unused").isEmpty)
    }

    @Test("`mutant-equivalent(literal 2 → 3)` covers that one mutant as the report prints it, not the others of its operator")
    func singleMutantMark() {
        let (_, sites) = schemaText("let y = 2 * x + 3 // mutant-equivalent(literal 2 → 3, arithmetic   + → -): the reason")
        let marked = sites.filter { $0.equivalentBecause != nil }.map { "\($0.original) → \($0.replacement)" }.sorted()
        #expect(marked == ["+ → -", "2 → 3"])
        let block = CodeBlock(fenceLine: 1, closingLine: 4, language: "swift", info: "swift", role: .run,
                              lines: ["let y = 2 * x // mutant-equivalent(literal 2 3): no arrow"])
        #expect(MutantSchema(blocks: [block]).annotationProblems.count == 1)
    }

    @Test("a single-mutant mark whose replacement has parentheses (`literal 1 → (-1)`) is read whole")
    func singleMutantMarkWithParentheses() {
        let (_, sites) = schemaText("let y = 1 * x // mutant-equivalent(literal 1 → (-1)): x is 0 here")
        let marked = sites.filter { $0.equivalentBecause != nil }.map { "\($0.original) → \($0.replacement)" }
        #expect(marked == ["1 → (-1)"])
        #expect(sites.first { $0.equivalentBecause != nil }?.equivalentBecause == "x is 0 here")
    }

    @Test("a value declared on a line of instance data, negated, is another instance; on a threshold line it is not")
    func instanceDataNegationInsertion() {
        let (_, sites) = schemaText("let x = inputs.vector(3) // mutant-data: a random input\nlet t = tolerance(4) // mutant-threshold: room to spare")
        let inserted = sites.filter { $0.mutationOperator == .negationInsertion }.sorted { $0.line < $1.line }
        #expect(inserted.count == 2)
        #expect(inserted.first?.instanceDataBecause == "a random input")
        #expect(inserted.last?.instanceDataBecause == nil && inserted.last?.thresholdBecause == nil)
    }

    @Test("`mutant-equivalent(op)` covers the operators it names")
    func equivalence() {
        let (_, sites) = schemaText("let s = m.transposed * m // mutant-equivalent(transpose): s is symmetric")
        #expect(sites.filter { $0.mutationOperator == .transpose }.map(\.equivalentBecause) == ["s is symmetric"])
        #expect(sites.filter { $0.mutationOperator != .transpose }.allSatisfy { $0.equivalentBecause == nil })
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
    /// The ids of the literal sites at `column`, in order.
    func literalIDs(_ sites: [MutantSite], column: Int) -> [Int] {
        sites.filter { $0.mutationOperator == .literal && $0.column == column }.map(\.id)
    }

    @Test("an expression statement: one branch per mutant, literals switched at their token, the statement as written last")
    func expressionStatement() throws {
        let (text, sites) = schemaText("output.add(x[3 + d], 2 * y)")
        #expect(!text.contains("_mutant(") && !text.contains("_mutants("))
        let three = literalIDs(sites, column: 14), two = literalIDs(sites, column: 22)
        #expect(three.count == 3 && two.count == 4)
        #expect(text.hasSuffix("else { output.add(x[_literal3(3, \(three[0]), 4, \(three[1]), (-3), \(three[2]), 0) + d], "
            + "_literal4(2, \(two[0]), 3, \(two[1]), (-2), \(two[2]), 0, \(two[3]), 1) * y) }"))
        let swap = try #require(sites.first { $0.mutationOperator == .arithmetic && $0.original == "*" })
        #expect(text.contains("if _mutantActive(\(swap.id)) { output.add(x[3 + d], 2 / y) } else "))
        let shifted = try #require(sites.first { $0.mutationOperator == .index && $0.replacement == "[i + 1]" })
        #expect(text.contains("if _mutantActive(\(shifted.id)) { output.add(x[(3 + d) + 1], 2 * y) } else "))
        #expect(text.components(separatedBy: "_mutantActive(").count - 1 == sites.count - 7)
    }

    @Test("a declaration: each initialiser becomes an if expression over its own mutants")
    func declaration() throws {
        let (text, sites) = schemaText("let a: Double = 2 * b, c = 1")
        #expect(text.hasPrefix("let a: Double = if _mutantActive("))
        let two = literalIDs(sites, column: 17), one = literalIDs(sites, column: 28)
        // `c = 1` has literal mutants only (its negation is the literal's n → −n): no `if` expression.
        #expect(text.hasSuffix("else { _literal4(2, \(two[0]), 3, \(two[1]), (-2), \(two[2]), 0, \(two[3]), 1) * b }, c = _literal3(1, \(one[0]), 2, \(one[1]), (-1), \(one[2]), 0)"))
        let negated = try #require(sites.first { $0.mutationOperator == .negationInsertion && $0.column == 17 })
        #expect(text.contains("if _mutantActive(\(negated.id)) { -(2 * b) } else "))
        #expect(!sites.contains { $0.mutationOperator == .negationInsertion && $0.column == 28 })
    }

    @Test("an element over several lines is not switched: its mutants say why (they are unviable, not missed)")
    func multilineElements() throws {
        let (text, sites) = schemaText("let dual = f(a,\n             b)")
        let negated = try #require(sites.first { $0.mutationOperator == .negationInsertion })
        #expect(negated.notSwitchedBecause?.contains("spans several lines") == true)
        #expect(!text.contains("_mutant(\(negated.id),"))
        // A pattern's matched value is no value to negate.
        let (_, pattern) = schemaText("if case let .mul(a, _) = op { print(a) }")
        #expect(!pattern.contains { $0.mutationOperator == .negationInsertion })
        // Its parts on one line each are switched.
        let (_, inner) = schemaText("let dual = f(a + 1,\n             b)")
        #expect(inner.contains { $0.mutationOperator == .arithmetic && $0.notSwitchedBecause == nil })
    }

    @Test("an operator function's name is not mutated; an accessor's body is switched, not the accessor")
    func operatorsAndAccessors() {
        let (_, sites) = schemaText("static func + (l: P, r: P) -> P { P(l.v + r.v) }")
        #expect(sites.filter { $0.mutationOperator == .arithmetic }.map(\.column) == [41])
        let (text, _) = schemaText("subscript(i: Int) -> Int {\n    get { c[i] + 1 }\n    set { c[i] = newValue - 1 }\n}")
        #expect(text.contains("get { if _mutantActive(") && text.contains("set { if _mutantActive("))
        #expect(!text.contains("{ get {") && !text.contains("{ set {"))
    }

    @Test("`let x = e` in code: each copy is assigned to a slot typed like e, so each is checked on its own")
    func slot() throws {
        let (text, sites) = schemaText("let x = 2 * b")
        let swap = try #require(sites.first { $0.mutationOperator == .arithmetic })
        let negated = try #require(sites.first { $0.mutationOperator == .negationInsertion })
        let two = literalIDs(sites, column: 9)
        let slot = "_mutantSlot\(swap.id)"
        #expect(text == "var \(slot) = _mutantSlot { 2 * b }; if _mutantActive(\(swap.id)) { \(slot) = 2 / b } else if _mutantActive(\(negated.id)) { \(slot) = -(2 * b) } "
            + "else { \(slot) = _literal4(2, \(two[0]), 3, \(two[1]), (-2), \(two[2]), 0, \(two[3]), 1) * b }; let x = \(slot)!")
        // In a type's body, where statements cannot stand, the value stays an `if` expression.
        let (member, _) = schemaText("struct S {\n    let x = 2 * b\n}")
        #expect(member.contains("let x = if _mutantActive(") && !member.contains("_mutantSlot"))
        let (allman, _) = schemaText("struct S\n{\n    let x = 2 * b\n}")
        #expect(!allman.contains("_mutantSlot"))
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
        let (text, sites) = schemaText("let t = 1; claimEqual(\"t\", t, 1)")
        let one = literalIDs(sites, column: 31)
        #expect(text.hasSuffix("claimEqual(\"t\", t, _literal3(1, \(one[0]), 2, \(one[1]), (-1), \(one[2]), 0), column: 22)"))
        #expect(!text.contains("claimEqual(\"t\", t, 1)"))
    }

    @Test("a compile error inside a mutant's copy, or inside a literal's value, is charged to that mutant, by its column")
    func errorColumn() throws {
        let code = "y = λ + 1"
        let block = CodeBlock(fenceLine: 1, closingLine: 3, language: "swift", info: "swift", role: .run, lines: [code])
        let schema = MutantSchema(blocks: [block])
        let rendered = schema.renderedBlocks(excluding: [])
        let swap = try #require(schema.sites.first { $0.mutationOperator == .arithmetic })
        let line = rendered.blocks[0]
        func column(of text: String, after prefix: String = "", backwards: Bool = false) throws -> Int {
            let range = try #require(line.range(of: text, options: backwards ? .backwards : []))
            return line[..<range.lowerBound].utf8.count + prefix.utf8.count + 1
        }
        // The `-` in the swapped copy; the `+` in the statement as written (the last one); the `(-1)` value.
        #expect(schema.site(atLine: 2, column: try column(of: "λ - 1", after: "λ "), rendered: rendered) == swap.id)
        #expect(schema.site(atLine: 2, column: try column(of: "y = λ + _literal", after: "y = λ ", backwards: true), rendered: rendered) == nil)
        let negative = try #require(schema.sites.first { $0.mutationOperator == .literal && $0.replacement == "(-1)" })
        #expect(schema.site(atLine: 2, column: try column(of: "(-1)", after: "(-"), rendered: rendered) == negative.id)
        #expect(schema.site(atLine: 2, column: try column(of: "_literal3(1, ", after: "_literal3("), rendered: rendered) == nil)
    }
}

@Suite("Mutant schema: claim columns and literal edges")
struct MutationPinningTests {
    @Test("a claim's column is pinned with a space before its parenthesis, after a trailing comma, and not twice")
    func pinning() {
        #expect(schemaText("claimEqual (\"six\", a * 2, 6)").text.contains(", column: 12)"))
        let trailing = schemaText("claimEqual(\n    \"six\",\n    a * 2,\n    6,\n)").text
        #expect(trailing.contains(",\ncolumn: 11)") && !trailing.contains(",,") && !trailing.contains(", column"))
        let forwarded = schemaText("claimEqual(\"six\", a * 2, 6, line: line, column: column)").text
        #expect(forwarded.contains("column: column")
                && forwarded.components(separatedBy: "column: ").dropFirst().allSatisfy { $0.hasPrefix("column)") })
    }

    @Test("n → n + 1 is left out where it is no other number: Int.max, and a Double too large to change by 1")
    func literalEdges() {
        let big = schemaText("let seed = 9223372036854775807").sites.filter { $0.mutationOperator == .literal }
        #expect(!big.isEmpty && !big.contains { $0.replacement.hasPrefix("9223372036854775808") })
        let double = schemaText("let x = 1e20").sites.filter { $0.mutationOperator == .literal }
        #expect(double.map(\.replacement).sorted() == ["(-1e20)", "0.0"])
    }
}

@Suite("Mutant schema: an inserted minus only where the declared type can have one")
struct MutationNegationTypeTests {
    /// The lines (1-based within the code) that carry a negation-insertion mutant.
    func negatedLines(_ code: String) -> [Int] {
        let (_, sites) = schemaText(code)
        let first = (sites.map(\.line).min() ?? 1)
        return sites.filter { $0.mutationOperator == .negationInsertion }.map { $0.line - first + 1 }.sorted()
    }

    @Test("arrays, dictionaries, tuples, optionals, Bool, String, Set and ranges, and types the code declares without a conformance, get none")
    func typesWithoutMinus() {
        let code = """
        let a: BigFloat = x * y
        let b: [Int] = xs.map { $0 * 2 }
        let c: [String: Int] = table.mapValues { $0 + 1 }
        let d: (lo: Int, hi: Int) = (x + 1, y)
        let e: Int? = xs.first.map { $0 + 1 }
        let f: Bool = x > y
        let g: Set<Int> = Set(xs.map { $0 + 1 })
        let h: Range<Int> = 0..<(n + 1)
        let i: Plain = Plain(v: x + 1)
        let j: Signed = Signed(v: x + 1)
        let k: (BigFloat) = x * y
        let l = xs.map { $0 * 2 }
        struct Plain { var v: Int }
        struct Signed: SignedNumeric { var v: Int }
        """
        // Line 1 (a number), 10 (a conforming type, which may have a minus), 11 (a type in parentheses) and 12
        // (no type written) keep theirs.
        #expect(negatedLines(code) == [1, 10, 11, 12])
    }

    @Test("undeclared types by the value's shape: comparisons, logic, ranges, strings, `!`, and calls of such types get none")
    func valueShapes() {
        let code = """
        let a = x < y
        let b = x == y && z
        let c = 0..<n
        let d = "text"
        let e = !flag
        let f = Plain(v: x + 1)
        let g = SeededInputs(seed: 3)
        let h = x < y ? a : b
        let i = Array<Int>(repeating: 0, count: 3)
        let j = Plain(v: 1).v + x
        struct Plain { var v: Int }
        """
        // A generic call `Array<Int>(…)` (line 9) and a member of a call (line 10) keep theirs; a conditional (line 8)
        // is split at its `:` and gets none in any case.
        #expect(negatedLines(code) == [9, 10])
    }

    @Test("code that declares a prefix minus of its own keeps every inserted minus")
    func customMinus() {
        let code = """
        let b: [Int] = xs.map { $0 * 2 }
        let f: Bool = x > y
        prefix func - (v: [Int]) -> [Int] { v.map { -$0 } }
        """
        #expect(negatedLines(code) == [1, 2])
    }
}
