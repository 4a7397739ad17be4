/// The mutation operators of `verify --mutate`: each a plausible mistake in a derivation's code.
public enum MutationOperator: String, Codable, Sendable, CaseIterable {
    /// A numeric literal changed: n → n+1, n → −n, nonzero → 0, 0 → 1, 2 → 1.
    case literal
    /// A binary `+` ↔ `−` or `*` ↔ `/`.
    case arithmetic
    /// A compound assignment `+=` ↔ `−=` or `*=` ↔ `/=`.
    case compoundAssignment = "compound-assignment"
    /// A unary minus removed (`-x` → `x`).
    case negationRemoval = "negation-removal"
    /// A unary minus inserted before the value a `let` or `var` is initialised with (`let y = e` → `let y = -(e)`).
    case negationInsertion = "negation-insertion"
    /// A comparison `<` ↔ `<=` or `>` ↔ `>=` (written with spaces around it).
    case comparison
    /// A `.transposed` dropped.
    case transpose
    /// The upper bound of a range `a..<b` or `a...b` moved by ±1.
    case rangeBound = "range-bound"
    /// A subscript index `x[i]` moved by ±1 (indices that are not plain literals; literals have their own mutants).
    case index

    /// The changes a `// mutant-data: REASON` or `// mutant-threshold: REASON` line accepts when no claim notices
    /// them: changed numbers, a minus removed from a number, and range bounds, which choose another instance or
    /// another threshold rather than another formula.
    static let instanceDataOperators: Set<MutationOperator> = [.literal, .negationRemoval, .rangeBound]
}

/// One mutant: a single change at one place of a file's runnable code.
public struct MutantSite: Codable, Sendable, Equatable {
    /// Why a changed number here that every claim passes is accepted: "instance data: REASON" or "threshold: REASON".
    var acceptedNumberBecause: String? {
        instanceDataBecause.map { "instance data: \($0)" } ?? thresholdBecause.map { "threshold: \($0)" }
    }

    /// An entry of a `mutant-equivalent(…)` list with its spaces collapsed: `literal`, or `literal 2 → 3`.
    static func normalisedMark<S: StringProtocol>(_ text: S) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// The mutant's number within its file, from 1.
    public var id: Int
    public var mutationOperator: MutationOperator
    /// The line and column of the changed code (in the Markdown file, or in the included ``file``).
    public var line: Int
    public var column: Int
    /// The code before and after, as shown to a reader ("a + b" → "a - b" is shown as "+ → -").
    public var original: String
    public var replacement: String
    /// The reason given on the line for accepting this mutant as equivalent, if any.
    public var equivalentBecause: String?
    /// The reason given on the line for its numbers being instance data (`// mutant-data: REASON`), if any: they choose
    /// one instance of a statement claimed for every instance, so a changed number that every claim still passes is
    /// accepted rather than missed (a changed number a claim catches stays caught).
    public var instanceDataBecause: String? = nil
    /// The reason given on the line for its numbers being a claim's threshold (`// mutant-threshold: REASON`), if any:
    /// a tolerance, margin, digit count or confidence level chosen with room to spare, not part of the mathematics, so
    /// a changed number that every claim still passes is accepted rather than missed (one a claim catches stays caught).
    public var thresholdBecause: String? = nil
    /// The last Markdown line of the code the mutant's switch spans (a compile error there may be the mutant's).
    public var lastLine: Int? = nil
    /// The included Swift file the mutant is in (as reports name it); nil for the Markdown file's own blocks.
    public var file: String? = nil
    /// Why the schema holds no switch for this mutant, if it holds none: it is then unviable, with this reason.
    public var notSwitchedBecause: String? = nil
}

/// Finds the mutants of a file's runnable code — its runnable blocks and the Swift files they include — and writes
/// the *mutant schema*: one program holding every mutant, each switched on at run time by its number, so that one
/// compilation serves all.
///
/// A statement on one line is copied whole, once per mutant in it (`if _mutantActive(k) { … } else { … }`, an `if`
/// expression in each initialiser of a declaration). Code over several lines is switched element by element: the
/// smallest syntactic element that holds a change — an argument, an array entry, the value of an assignment, a
/// condition — becomes `_mutant(k, MUTATED, ORIGINAL)` or, for several, `_mutants(like:_:)`. Every copy is written
/// on its original line, so every line keeps its number. String literals, comments, claim labels and include lines
/// are never touched.
struct MutantSchema {
    /// The runnable blocks, in order.
    var blocks: [CodeBlock]

    /// Code the mutants live in: a runnable block (its include lines blanked) or an included file.
    struct Unit {
        var tokens: [SwiftToken]
        var firstLine: Int
        /// The included file's path as reports name it; nil for a block of the Markdown file.
        var file: String?
        /// The block's index among the runnable blocks, for a block.
        var block: Int?
        /// The include lines of a block, by 0-based line, restored after rendering.
        var directives: [Int: String] = [:]
    }
    private var units: [Unit] = []
    private(set) var sites: [MutantSite] = []

    /// The schema's code: each runnable block's, and each included file's by its path.
    struct Rendered {
        var blocks: [String]
        var includes: [String: String]
    }

    init(blocks: [CodeBlock]) {
        self.blocks = blocks.filter(\.role.runs)
        var seen = Set<String>()
        for (index, block) in self.blocks.enumerated() {
            var lines = block.lines
            var directives: [Int: String] = [:]
            var included: [IncludedFile] = []
            for (offset, line) in lines.enumerated() {
                guard let path = IncludedFile.directivePath(in: line) else { continue }
                directives[offset] = line
                lines[offset] = ""
                if let file = block.includes[path], seen.insert(file.displayPath).inserted { included.append(file) }
            }
            units.append(Unit(tokens: SwiftLexer.tokens(lines.joined(separator: "\n")), firstLine: block.firstContentLine,
                              file: nil, block: index, directives: directives))
            units += included.map { Unit(tokens: SwiftLexer.tokens($0.text), firstLine: 1, file: $0.displayPath, block: nil) }
        }
        unnegatable = Self.typesWithoutUnaryMinus(in: units.map(\.tokens))
        sites = render(excluding: []).sites
        for unit in units {
            for (line, message) in SchemaBuilder.Annotations(in: unit.tokens).malformed.sorted(by: { $0.key < $1.key }) {
                annotationProblems.append((unit.file, unit.firstLine + line, message))
            }
        }
    }

    /// The names of the types that have no unary minus in this code (see ``typesWithoutUnaryMinus(in:)``); empty
    /// when the code declares a `prefix func -` of its own.
    private var unnegatable: Set<String> = []

    /// Types of the standard library and of MultiPrecision without a unary minus. Arrays, dictionaries, tuples,
    /// optionals and function types are recognised by their spelling.
    static let standardTypesWithoutUnaryMinus: Set<String> = ["Bool", "String", "Substring", "Character", "Array", "Set",
                                                               "Dictionary", "Range", "ClosedRange", "Optional",
                                                               "SeededInputs", "LUFactorization", "RoundingMode"]

    /// The type names no value of which can be negated in code made of `units`: the standard library's collections,
    /// strings and `Bool`, and the structs, classes and enums the code declares, except those that conform to a
    /// protocol or that the code extends (either may bring a `-`). When the code declares a `prefix func -` of its own,
    /// nothing is known and the set is empty. An inserted minus is not generated for a value declared of such a
    /// type: it could never compile, and the compiler's time on it is the largest cost of a schema.
    static func typesWithoutUnaryMinus(in units: [[SwiftToken]]) -> Set<String> {
        var declared: Set<String> = []
        var extended: Set<String> = []
        for tokens in units {
            let significant = tokens.filter { !SchemaBuilder.isTrivia($0) }
            for (index, token) in significant.enumerated() {
                if token.text == "prefix", index + 2 < significant.count, significant[index + 1].text == "func",
                   significant[index + 2].text.hasPrefix("-") { return [] }
                guard index + 1 < significant.count, significant[index + 1].kind == .identifier else { continue }
                let name = significant[index + 1].text
                if token.kind == .keyword, ["struct", "class", "enum"].contains(token.text) {
                    // `struct Name: P, Q` or `struct Name<T>: P` conforms to something: it may have a minus.
                    let rest = significant[(index + 2)...].prefix { $0.text != "{" }
                    if rest.contains(where: { $0.text == ":" }) { extended.insert(name) } else { declared.insert(name) }
                } else if token.kind == .keyword, token.text == "extension" {
                    extended.insert(name)
                }
            }
        }
        return standardTypesWithoutUnaryMinus.union(declared.subtracting(extended))
    }

    /// Comments that begin with `mutant-equivalent`, `mutant-data` or `mutant-threshold` but are not well formed: the
    /// included file (nil for the Markdown file), the line, and what is wrong.
    private(set) var annotationProblems: [(file: String?, line: Int, message: String)] = []

    /// The code with every site not in `excluded` switchable.
    func renderedBlocks(excluding excluded: Set<Int>) -> Rendered {
        render(excluding: excluded).rendered
    }

    /// The code with mutant `id` applied alone and nothing switched: the program of that one mutant, as a single
    /// mutant's compilation would see it.
    func renderedBlocks(applyingOnly id: Int) -> Rendered {
        render(excluding: [], applyingOnly: id).rendered
    }

    private func render(excluding excluded: Set<Int>, applyingOnly single: Int? = nil) -> (rendered: Rendered, sites: [MutantSite]) {
        var sites: [MutantSite] = []
        var rendered = Rendered(blocks: Array(repeating: "", count: blocks.count), includes: [:])
        for unit in units {
            var builder = SchemaBuilder(tokens: unit.tokens, firstLine: unit.firstLine, nextID: sites.count + 1, file: unit.file,
                                        unnegatable: unnegatable)
            var text = builder.render(excluded: excluded)
            if let single { text = builder.textApplying(single) ?? unit.tokens.map(\.text).joined() }
            sites += builder.sites
            if let block = unit.block {
                if !unit.directives.isEmpty {
                    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    for (offset, directive) in unit.directives where offset < lines.count { lines[offset] = directive }
                    text = lines.joined(separator: "\n")
                }
                rendered.blocks[block] = text
            } else if let file = unit.file {
                rendered.includes[file] = text
            }
        }
        return (rendered, sites)
    }

    /// The unit a compiler location (`file` nil for the Markdown file) falls in, and its rendered text.
    fileprivate func unit(file: String?, line: Int, in rendered: Rendered) -> (unit: Unit, text: String)? {
        guard let unit = unit(file: file, line: line) else { return nil }
        if let file {
            guard let text = rendered.includes[file] else { return nil }
            return (unit, text)
        }
        guard let block = unit.block, block < rendered.blocks.count else { return nil }
        return (unit, rendered.blocks[block])
    }

    /// The unit line `line` of the Markdown file (`file` nil) or of the included `file` is in.
    fileprivate func unit(file: String?, line: Int) -> Unit? {
        if let file { return units.first { $0.file == file } }
        return units.last { $0.file == nil && $0.firstLine <= line }
    }
}

extension MutantSchema {
    /// The lines of the code as written that the expression starting on `line` (of the Markdown file, or of the
    /// included `file`) runs over: up to the line where the last bracket opened on `line` closes. The body of a
    /// statement (`for … in SEQUENCE {`, `if CONDITION {`, `} else {`) is not part of it: the compiler types the
    /// header's expressions apart from the statements of the body. (A closure's body is part of its expression; a
    /// statement's header cannot end in a trailing closure without parentheses.)
    func expressionLines(file: String?, line: Int) -> ClosedRange<Int> {
        guard let unit = unit(file: file, line: line) else { return line...line }
        let closing = SchemaBuilder.matchBrackets(unit.tokens)
        let onLine = unit.tokens.indices.filter { unit.firstLine + unit.tokens[$0].line == line }
        let significant = onLine.filter { !SchemaBuilder.isTrivia(unit.tokens[$0]) }
        let statementKeywords: Set<String> = ["for", "while", "if", "guard", "switch", "else", "repeat", "do", "catch", "defer"]
        let isStatementHeader = significant.first.map { first in
            let token = unit.tokens[first]
            return (token.kind == .keyword && statementKeywords.contains(token.text)) || (token.kind == .punctuation && token.text == "}")
        } ?? false
        var last = line
        var depth = 0
        for index in onLine {
            let token = unit.tokens[index]
            // The brace that opens the statement's body: outside every bracket of the header.
            let opensBody = isStatementHeader && depth == 0 && token.kind == .punctuation && token.text == "{"
            if token.kind == .punctuation && ["(", "["].contains(token.text) { depth += 1 }
            if token.kind == .punctuation && [")", "]"].contains(token.text) { depth -= 1 }
            if !opensBody, let close = closing[index] { last = max(last, unit.firstLine + unit.tokens[close].line) }
        }
        return line...last
    }

    /// The mutant whose switched copy holds the given place of the schema rendered as `rendered`: line `line` of the
    /// Markdown file (or of the included `file`), column `column` (1-based, in UTF-8 bytes, as the compiler counts).
    /// The innermost copy wins; nil when the place is in no mutant's copy.
    func site(atLine line: Int, column: Int, rendered: Rendered, file: String? = nil) -> Int? {
        guard let (unit, code) = unit(file: file, line: line, in: rendered) else { return nil }
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        let offset = line - unit.firstLine
        guard offset < lines.count else { return nil }
        let text = String(lines[offset])
        // The character column of the byte column.
        var bytes = 0, characterColumn = 1
        for character in text {
            if bytes + character.utf8.count > column - 1 { break }
            bytes += character.utf8.count
            characterColumn += 1
        }
        let tokens = SwiftLexer.tokens(text)
        let closing = SchemaBuilder.matchBrackets(tokens)
        let significant = { (index: Int) in SchemaBuilder.nextSignificant(in: tokens, after: index) }
        var best: (id: Int, width: Int)? = nil
        func consider(_ id: Int, _ span: ClosedRange<Int>) {
            if span.contains(characterColumn), best.map({ span.count < $0.width }) ?? true { best = (id, span.count) }
        }
        for (index, token) in tokens.enumerated() where token.kind == .identifier {
            guard token.text.hasPrefix("_literal") || token.text == "_mutantActive" || token.text == "_mutant",
                  let open = significant(index), tokens[open].text == "(", let close = closing[open] else { continue }
            let arguments = SchemaBuilder.arguments(in: tokens, open: open, close: close, closing: closing)
            let number = { (argument: Range<Int>) in Int(tokens[argument].map(\.text).joined().trimmingCharacters(in: .whitespaces)) }
            if token.text.hasPrefix("_literal") {
                // `_literalN(ORIGINAL, k1, VALUE1, k2, VALUE2, …)`: each value is its mutant's.
                for pair in stride(from: 1, to: arguments.count - 1, by: 2) {
                    let value = arguments[pair + 1]
                    guard let id = number(arguments[pair]), !value.isEmpty else { continue }
                    consider(id, tokens[value.lowerBound].column...tokens[value.upperBound - 1].column + tokens[value.upperBound - 1].text.count - 1)
                }
            } else if let first = arguments.first, let id = number(first) {
                if token.text == "_mutantActive", let brace = significant(close), tokens[brace].text == "{", let end = closing[brace] {
                    // `if _mutantActive(k) { COPY }`: the copy is the mutant's.
                    consider(id, tokens[brace].column...tokens[end].column)
                } else if token.text == "_mutant", arguments.count > 1 {
                    // `_mutant(k, MUTATED, …)`: the mutated argument, with the commas around it.
                    consider(id, tokens[first.upperBound].column...tokens[arguments[1].upperBound].column)
                }
            }
        }
        return best?.id
    }
}

/// Renders one block's tokens with mutant switches, numbering its sites from `nextID`.
struct SchemaBuilder {
    let tokens: [SwiftToken]
    let firstLine: Int
    var nextID: Int
    /// The included file the tokens come from; nil for a block of the Markdown file.
    let file: String?
    var sites: [MutantSite] = []
    /// The sites of this rendering that are switched in (not excluded), by number.
    private var excluded: Set<Int> = []

    /// Matching bracket positions: for each opening token index, its closing index.
    let closing: [Int: Int]
    /// The annotation comments of the tokens.
    let annotations: Annotations
    /// The type names that have no unary minus in the analysed code (``MutantSchema/typesWithoutUnaryMinus(in:)``).
    let unnegatable: Set<String>

    /// The annotation comments of a unit's tokens, by 0-based line of the unit.
    struct Annotations {
        /// Reasons for accepted equivalent mutants: `// mutant-equivalent: REASON` or
        /// `// mutant-equivalent(operator, …): REASON`.
        var equivalences: [Int: (operators: Set<String>?, reason: String)]
        /// Reasons for lines whose numbers are instance data: `// mutant-data: REASON`.
        var instanceData: [Int: String]
        /// Reasons for lines whose numbers are a claim's threshold: `// mutant-threshold: REASON`.
        var thresholds: [Int: String]
        /// Comments that begin with an annotation's keyword but are not well formed: what is wrong.
        var malformed: [Int: String]

        init(in tokens: [SwiftToken]) {
            let equivalent = SchemaBuilder.annotations("mutant-equivalent", in: tokens)
            let data = SchemaBuilder.annotations("mutant-data", in: tokens)
            let threshold = SchemaBuilder.annotations("mutant-threshold", in: tokens)
            equivalences = equivalent.found
            instanceData = data.found.filter { $0.value.operators == nil }.mapValues(\.reason)
            thresholds = threshold.found.filter { $0.value.operators == nil }.mapValues(\.reason)
            malformed = equivalent.malformed.merging(data.malformed) { first, _ in first }.merging(threshold.malformed) { first, _ in first }
            for (keyword, found) in [("mutant-data", data.found), ("mutant-threshold", threshold.found)] {
                for (line, entry) in found where entry.operators != nil {
                    malformed[line] = "`\(keyword)` takes no operator list: it covers the line's numbers and range bounds"
                }
            }
        }
    }

    init(tokens: [SwiftToken], firstLine: Int, nextID: Int, file: String? = nil, unnegatable: Set<String> = []) {
        self.unnegatable = unnegatable
        let closing = Self.matchBrackets(tokens)
        self.tokens = Self.pinningClaimColumns(tokens, closing: closing)
        self.firstLine = firstLine
        self.nextID = nextID
        self.file = file
        self.closing = closing
        annotations = Annotations(in: tokens)
    }

    /// The tokens with every claim call given its own column explicitly (`claimEqual(…, column: C)`), so that its
    /// records name the call as written wherever the schema moves it on the line (a claim is known by its call site).
    /// `C` is what `#column` gives for the call as written: the UTF-8 column of its opening parenthesis.
    static func pinningClaimColumns(_ tokens: [SwiftToken], closing: [Int: Int]) -> [SwiftToken] {
        let claims = Set(ProgramGenerator.reservedNames.filter { $0.hasPrefix("claim") })
        var pinned = tokens
        for (index, token) in tokens.enumerated() where token.kind == .identifier && claims.contains(token.text) {
            // `claimEqual(` or `claimEqual (`: spaces may stand between the name and its parenthesis, a line break not.
            var open = index + 1
            while open < tokens.count, tokens[open].kind == .whitespace { open += 1 }
            guard open < tokens.count, tokens[open].kind == .punctuation, tokens[open].text == "(", let close = closing[open],
                  close > open + 1 else { continue }
            // A call that passes its own `column:` (a helper forwarding its caller's) keeps it.
            let arguments = SchemaBuilder.arguments(in: tokens, open: open, close: close, closing: closing)
            if arguments.contains(where: { argument in
                let significant = argument.filter { !SchemaBuilder.isTrivia(tokens[$0]) }
                return significant.count > 1 && tokens[significant[0]].text == "column" && tokens[significant[1]].text == ":"
            }) { continue }
            // After a trailing comma (`claimEqual(a, b,)`), the column is one more argument without a comma of its own.
            let last = (open + 1..<close).last { !SchemaBuilder.isTrivia(tokens[$0]) }
            let separator = last.map { tokens[$0].text == "," } == true ? "" : ", "
            var column = 1
            var cursor = open - 1
            while cursor >= 0 {
                let text = tokens[cursor].text
                if let newline = text.lastIndex(of: "\n") { column += text[text.index(after: newline)...].utf8.count; break }
                column += text.utf8.count
                cursor -= 1
            }
            pinned[close].text = "\(separator)column: \(column))"
        }
        return pinned
    }

    // MARK: Structure

    static func matchBrackets(_ tokens: [SwiftToken]) -> [Int: Int] {
        var result: [Int: Int] = [:]
        var stack: [Int] = []
        for (index, token) in tokens.enumerated() where token.kind == .punctuation {
            switch token.text {
            case "(", "[", "{": stack.append(index)
            case ")", "]", "}": if let open = stack.popLast() { result[open] = index }
            default: break
            }
        }
        return result
    }

    /// The comments `// KEYWORD: REASON` or `// KEYWORD(operator, …): REASON`, by 0-based line, and the comments that
    /// begin with KEYWORD but are not written that way (each with what is wrong), by 0-based line.
    ///
    /// A comment is an annotation only when its text begins with the keyword (`// see mutant-equivalent …` is prose);
    /// one that begins with it must name known operators and give its reason after a colon, since a misspelt operator
    /// list would otherwise widen or silently drop what the author meant to mark.
    static func annotations(_ keyword: String, in tokens: [SwiftToken])
        -> (found: [Int: (operators: Set<String>?, reason: String)], malformed: [Int: String]) {
        var found: [Int: (operators: Set<String>?, reason: String)] = [:]
        var malformed: [Int: String] = [:]
        let known = MutationOperator.allCases.map(\.rawValue)
        for token in tokens where token.kind == .comment {
            var text = Substring(token.text)
            if text.hasPrefix("//") { text = text.dropFirst(2) } else if text.hasPrefix("/*") { text = text.dropFirst(2) }
            text = text.drop { $0 == " " || $0 == "\t" || $0 == "/" || $0 == "*" }
            guard text.hasPrefix(keyword) else { continue }
            var rest = text.dropFirst(keyword.count)
            // `mutant-equivalents` or `mutant-equivalent-ish` is another word: prose.
            if let next = rest.first, next.isLetter || next.isNumber || next == "-" || next == "_" { continue }
            rest = rest.drop { $0 == " " }
            var operators: Set<String>? = nil
            if rest.hasPrefix("(") {
                // The list ends at the parenthesis that closes it: a mark may hold some (`literal 1 → (-1)`).
                var depth = 0
                let close = rest.indices.first { index in
                    if rest[index] == "(" { depth += 1 } else if rest[index] == ")" { depth -= 1 }
                    return depth == 0
                }
                guard let close else {
                    malformed[token.line] = "the operator list after `\(keyword)(` is not closed"
                    continue
                }
                // Each entry is an operator, or one mutant of it as the report prints it: `literal 2 → 3`.
                let names = rest[rest.index(after: rest.startIndex)..<close].split(separator: ",").map { MutantSite.normalisedMark($0) }
                let unknown = names.filter { name in !known.contains(String(name.prefix { $0 != " " })) || (name.contains(" ") && !name.contains(" → ")) }
                guard unknown.isEmpty, !names.isEmpty else {
                    malformed[token.line] = "`\(keyword)(\(names.joined(separator: ", ")))` names "
                        + (names.isEmpty ? "no operator" : "unknown operator\(unknown.count == 1 ? "" : "s") \(unknown.map { "`\($0)`" }.joined(separator: ", "))")
                        + "; the operators are \(known.joined(separator: ", "))"
                    continue
                }
                operators = Set(names)
                rest = rest[rest.index(after: close)...].drop { $0 == " " }
            }
            guard rest.hasPrefix(":") else {
                malformed[token.line] = "`\(keyword)` must be followed by `: REASON` (or `(operator, …): REASON`)"
                continue
            }
            var reason = rest.dropFirst().trimmingCharacters()
            // A block comment's reason ends before its `*/`.
            if reason.hasSuffix("*/") { reason = reason.dropLast(2).trimmingCharacters() }
            guard !reason.isEmpty else {
                malformed[token.line] = "`\(keyword)` gives no reason: say why after the colon"
                continue
            }
            found[token.line] = (operators, String(reason))
        }
        return (found, malformed)
    }

    /// Whether `token` is whitespace, a line break or a comment.
    static func isTrivia(_ token: SwiftToken) -> Bool {
        [.whitespace, .newline, .comment].contains(token.kind)
    }
    func isTrivia(_ index: Int) -> Bool { Self.isTrivia(tokens[index]) }
    func previousSignificant(_ index: Int) -> Int? {
        var cursor = index - 1
        while cursor >= 0 && isTrivia(cursor) { cursor -= 1 }
        return cursor >= 0 ? cursor : nil
    }
    func nextSignificant(_ index: Int) -> Int? { Self.nextSignificant(in: tokens, after: index) }
    /// The first token after `index` that is not whitespace, a line break or a comment.
    static func nextSignificant(in tokens: [SwiftToken], after index: Int) -> Int? {
        var cursor = index + 1
        while cursor < tokens.count && isTrivia(tokens[cursor]) { cursor += 1 }
        return cursor < tokens.count ? cursor : nil
    }
    /// The token ranges of a call's arguments, between its parentheses at `open` and `close`: split at the commas
    /// of the call's own level.
    static func arguments(in tokens: [SwiftToken], open: Int, close: Int, closing: [Int: Int]) -> [Range<Int>] {
        var arguments: [Range<Int>] = []
        var start = open + 1
        var cursor = open + 1
        while cursor <= close {
            if cursor == close || (tokens[cursor].kind == .punctuation && tokens[cursor].text == ",") {
                arguments.append(start..<cursor)
                start = cursor + 1
            } else if let end = closing[cursor] {
                cursor = end
            }
            cursor += 1
        }
        return arguments
    }
    /// Whether the `[` at `index` opens a subscript: it touches a value before it (a name, `)`, `]`, `?`, `!`), not
    /// an operator or a generic argument list (`Sequence<[BigFloat]>`, `-> [Int]`).
    func isSubscript(_ index: Int) -> Bool {
        guard leftBound(index) else { return false }
        let before = tokens[index - 1]
        return before.kind == .identifier || (before.kind == .keyword && ["self", "super"].contains(before.text))
            || [")", "]", "?", "!", "}"].contains(before.text)
    }

    /// Whether the operator at `index` touches the token before it (Swift's left-bound rule).
    func leftBound(_ index: Int) -> Bool {
        guard index > 0 else { return false }
        let before = tokens[index - 1]
        if [.whitespace, .newline, .comment].contains(before.kind) { return false }
        return !(before.kind == .punctuation && ["(", "[", "{", ",", ";", ":"].contains(before.text))
    }
    /// Whether the operator at `index` touches the token after it.
    func rightBound(_ index: Int) -> Bool {
        guard index + 1 < tokens.count else { return false }
        let after = tokens[index + 1]
        if [.whitespace, .newline, .comment].contains(after.kind) { return false }
        return !(after.kind == .punctuation && [")", "]", "}", ",", ";", ":"].contains(after.text))
    }
    func isBinary(_ index: Int) -> Bool { leftBound(index) == rightBound(index) }
    func isSpacedBinary(_ index: Int) -> Bool { !leftBound(index) && !rightBound(index) }

    static let separatorKeywords: Set<String> = ["let", "var", "if", "guard", "while", "for", "in", "return", "try",
                                                 "throw", "else", "case", "where", "repeat", "as", "is", "func", "defer", "do"]
    static let compoundSwaps = ["+=": "-=", "-=": "+=", "*=": "/=", "/=": "*="]
    /// Statements whose `{ … }` is a body, not a trailing closure of the element before it.
    static let bodyKeywords: Set<String> = ["for", "while", "if", "guard", "switch", "func", "init", "else", "repeat", "do",
                                            "defer", "catch", "struct", "class", "enum", "extension", "subscript"]

    /// Whether the token at `index` separates elements at its level.
    func isSeparator(_ index: Int, statementLevel: Bool) -> Bool {
        let token = tokens[index]
        switch token.kind {
        case .punctuation: return [",", ";", ":"].contains(token.text)
        case .keyword: return Self.separatorKeywords.contains(token.text) || token.text.hasPrefix("@") || token.text.hasPrefix("#")
        case .operator:
            if ["=", "->"].contains(token.text) || Self.compoundSwaps[token.text] != nil { return true }
            return token.text == "?" && isSpacedBinary(index)
        case .newline: return statementLevel && !isContinuation(index)
        default: return false
        }
    }

    /// Whether the `:` at `index` ends a label in front of a statement: a `case …:` or `default:` of a switch, or the
    /// name of a labelled loop or block (`outer: for …`).
    func endsLabel(_ index: Int, statementKeyword: String?, statementText: String) -> Bool {
        guard tokens[index].kind == .punctuation, tokens[index].text == ":" else { return false }
        if statementKeyword == "case" || statementKeyword == "default" { return true }
        guard let name = previousSignificant(index), tokens[name].kind == .identifier,
              statementText.trimmingCharacters(in: .whitespaces) == tokens[name].text,
              let next = nextSignificant(index) else { return false }
        return ["for", "while", "repeat", "do", "if", "switch"].contains(tokens[next].text)
    }

    /// Whether the newline at `index` continues the statement (a binary operator ends the line or starts the next,
    /// or the next line starts with `.member`).
    func isContinuation(_ index: Int) -> Bool {
        if let before = previousSignificant(index), tokens[before].kind == .operator, isBinary(before) || tokens[before].text == "=" { return true }
        if let before = previousSignificant(index), tokens[before].kind == .punctuation, tokens[before].text == "," { return true }
        if let after = nextSignificant(index) {
            if tokens[after].kind == .punctuation && tokens[after].text == "." { return true }
            if tokens[after].kind == .operator && isSpacedBinary(after) { return true }
            // The branches of a conditional continued on lines of their own: `? a` and `: b`.
            if tokens[after].kind == .punctuation && tokens[after].text == ":" { return true }
        }
        return false
    }

    // MARK: Rendering

    /// One change of a site: replaced token texts and a wrapper around the whole element.
    struct Change {
        var operatorKind: MutationOperator
        var anchor: Int
        var edits: [Int: String] = [:]
        var prefix = ""
        var suffix = ""
        var original: String
        var replacement: String
    }

    /// Where and how a registered site changes the tokens: replaced token texts, and a prefix and suffix around
    /// its element (the tokens the change belongs to), if it has one.
    struct Application {
        var anchor: Int
        var edits: [Int: String]
        var prefix: String
        var suffix: String
        var element: Range<Int>?
    }
    private var applications: [Int: Application] = [:]
    /// The switched text of each literal token that has mutants (`_literalN(3, k, 4, …)`), by token index.
    private var literalSwitches: [Int: String] = [:]
    /// The sites that switch at a literal token.
    private var literalSites: Set<Int> = []

    /// The tokens `range` as written, with their literals switched.
    private func originalText(_ range: Range<Int>) -> String {
        range.map { literalSwitches[$0] ?? tokens[$0].text }.joined()
    }

    /// The code as written with mutant `id`'s change applied and no switches: that mutant's program on its own, line
    /// for line (nil when `id` is not a site of this code). Call after ``render(excluded:)``, which registers the sites.
    func textApplying(_ id: Int) -> String? {
        guard let change = applications[id] else { return nil }
        return tokens.indices.map { index in
            var text = change.edits[index] ?? tokens[index].text
            if let element = change.element {
                if index == element.lowerBound { text = change.prefix + text }
                if index == element.upperBound - 1 { text += change.suffix }
            }
            return text
        }.joined()
    }

    /// The schema text of the whole block.
    mutating func render(excluded: Set<Int>) -> String {
        self.excluded = excluded
        sites = []
        applications = [:]
        literalSwitches = [:]
        literalSites = []
        return renderLevel(0..<tokens.count, statementLevel: true, subscriptLevel: false)
    }

    /// Renders tokens `range` at one level. At statement level every statement that fits on one line is switched
    /// as a whole (`statementSwitch`); other statements, and expression levels, element by element.
    private mutating func renderLevel(_ range: Range<Int>, statementLevel: Bool, subscriptLevel: Bool) -> String {
        guard statementLevel else { return renderElements(range, statementLevel: false, subscriptLevel: subscriptLevel) }
        var text = ""
        var body = range
        // A closure's signature (`r, i in`, `(x: Int) -> Int in`) is no statement: it stays as written, in front of
        // the statements of its body (a copy of it inside a switch would be a syntax error).
        if let signatureEnd = closureSignatureEnd(range) {
            text += tokens[range.lowerBound...signatureEnd].map(\.text).joined()
            body = (signatureEnd + 1)..<range.upperBound
        }
        for (statement, separator) in statements(body) {
            text += statementSwitch(statement) ?? renderElements(statement, statementLevel: true, subscriptLevel: false)
            if let separator { text += tokens[separator].text }
        }
        return text
    }

    /// Words that may stand in a closure's signature before its `in`.
    static let signatureKeywords: Set<String> = ["throws", "rethrows", "async", "inout", "some", "any", "self", "Self"]

    /// The index of the `in` that ends the signature of a closure whose body is `range` (the tokens between its braces),
    /// or nil when the body starts without one. A signature holds names, `_`, commas, a parameter list or capture list
    /// in brackets, `:` and types, `->` and a few keywords; a body that starts with anything else (`for x in …`, a call)
    /// has none.
    func closureSignatureEnd(_ range: Range<Int>) -> Int? {
        var index = range.lowerBound
        var sawName = false
        while index < range.upperBound {
            let token = tokens[index]
            switch token.kind {
            case .whitespace, .newline, .comment:
                break
            case .identifier:
                sawName = true
            case .keyword:
                if token.text == "in" { return sawName ? index : nil }
                guard Self.signatureKeywords.contains(token.text) else { return nil }
            case .punctuation:
                if ["(", "["].contains(token.text), let close = closing[index], close < range.upperBound {
                    sawName = true
                    index = close
                } else if ![",", ":", ".", "<", ">"].contains(token.text) {
                    return nil
                }
            case .operator:
                guard ["->", "?", "!", "<", ">", "&"].contains(token.text) else { return nil }
            default:
                return nil
            }
            index += 1
        }
        return nil
    }

    /// The statements of tokens `range` at statement level, each with the newline or `;` that ends it.
    private func statements(_ range: Range<Int>) -> [(Range<Int>, Int?)] {
        var result: [(Range<Int>, Int?)] = []
        var start = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            let token = tokens[index]
            if token.kind == .punctuation, ["(", "[", "{"].contains(token.text), let close = closing[index], close < range.upperBound {
                index = close + 1
                continue
            }
            if (token.kind == .newline && isSeparator(index, statementLevel: true)) || (token.kind == .punctuation && token.text == ";") {
                result.append((start..<index, index))
                start = index + 1
            }
            index += 1
        }
        result.append((start..<range.upperBound, nil))
        return result
    }

    /// The accessors of a computed property or subscript, whose lines look like calls with a trailing closure.
    static let accessorNames: Set<String> = ["get", "set", "willSet", "didSet"]

    /// Modifiers that may precede `let` or `var` in a declaration the statement switch handles.
    static let declarationModifiers: Set<String> = ["static", "private", "fileprivate", "internal", "public", "lazy", "final"]

    /// Words that are modifiers only in front of a declaration (elsewhere they may name values): `override func`,
    /// `weak var`, `convenience init`, `prefix func`, …
    static let contextualModifiers: Set<String> = ["override", "convenience", "required", "weak", "unowned", "open", "indirect",
                                                   "nonmutating", "dynamic", "optional", "prefix", "postfix", "infix",
                                                   "nonisolated", "package", "consuming", "borrowing", "distributed"]

    /// A statement on one line with every mutant in it switched as a whole: `if _mutantActive(k) { MUTATED } else if
    /// … else { ORIGINAL }`, and for a `let`/`var` declaration the same as an `if` expression in each initialiser.
    /// Every copy is a statement (or branch) of its own, which the compiler types on its own: the cost grows linearly
    /// with the mutants, and a copy that does not compile is named by its column. Nil when the statement spans lines
    /// or is of another kind (a body, a `guard`, a label…), which are switched element by element.
    private mutating func statementSwitch(_ whole: Range<Int>) -> String? {
        var lower = whole.lowerBound, upper = whole.upperBound
        while lower < upper && isTrivia(lower) { lower += 1 }
        while upper > lower && isTrivia(upper - 1) { upper -= 1 }
        guard lower < upper, !tokens[lower..<upper].contains(where: { $0.kind == .newline || $0.text.contains("\n") }) else { return nil }
        var head = lower
        while head < upper, let next = nextSignificant(head), next < upper {
            let modifier = tokens[head].kind == .keyword && Self.declarationModifiers.contains(tokens[head].text)
            let contextual = tokens[head].kind == .identifier && Self.contextualModifiers.contains(tokens[head].text)
                && (tokens[next].kind == .keyword || Self.contextualModifiers.contains(tokens[next].text))
            guard modifier || contextual else { break }
            head = next
        }
        let token = tokens[head]
        let isDeclaration = token.kind == .keyword && (token.text == "let" || token.text == "var")
        let isExpression = head == lower && (token.kind == .identifier || (token.kind == .punctuation && token.text == "(")
            || (token.kind == .keyword && ["self", "super", "return", "try"].contains(token.text)))
        guard isDeclaration || isExpression else { return nil }
        // An accessor (`get { … }`, `set(v) { … }`) is no statement: its body is switched element by element.
        if token.kind == .identifier, Self.accessorNames.contains(token.text), let next = nextSignificant(head),
           tokens[next].kind == .punctuation, ["{", "("].contains(tokens[next].text) { return nil }
        if token.kind == .identifier, let next = nextSignificant(head), tokens[next].kind == .punctuation, tokens[next].text == ":" { return nil }

        let firstSite = sites.count
        let elementwise = renderElements(whole, statementLevel: true, subscriptLevel: false)
        let mine = sites[firstSite...].map(\.id).filter { !literalSites.contains($0) }
        let active = mine.filter { !excluded.contains($0) }
        let before = tokens[whole.lowerBound..<lower].map(\.text).joined()
        let after = tokens[upper..<whole.upperBound].map(\.text).joined()
        /// `if _mutantActive(k) { LEAD COPY_k } else … else { LEAD ORIGINAL }`.
        func switched(_ range: Range<Int>, _ ids: [Int], lead: String = "") -> String {
            let branches = ids.map { "if _mutantActive(\($0)) { \(lead)\(plain(range, applying: applications[$0]!)) } else " }.joined()
            return branches + "{ " + lead + originalText(range) + " }"
        }
        guard !mine.isEmpty else { return elementwise }
        guard !active.isEmpty else { return before + originalText(lower..<upper) + after }
        guard isDeclaration else { return before + switched(lower..<upper, active) + after }

        // A declaration: each initialiser (from a `=` at this level to the next `,` or the end) becomes an `if`
        // expression over the mutants inside it.
        var initializers: [Range<Int>] = []
        var index = head
        var start: Int? = nil
        while index <= upper {
            if index == upper || (tokens[index].kind == .punctuation && tokens[index].text == ",") {
                if let begin = start { initializers.append(begin..<index); start = nil }
            } else if tokens[index].kind == .operator && tokens[index].text == "=" {
                start = index + 1
            } else if tokens[index].kind == .punctuation, ["(", "[", "{"].contains(tokens[index].text), let close = closing[index], close < upper {
                index = close + 1
                continue
            }
            index += 1
        }
        initializers = initializers.map { range in
            var low = range.lowerBound, high = range.upperBound
            while low < high && isTrivia(low) { low += 1 }
            while high > low && isTrivia(high - 1) { high -= 1 }
            return low..<high
        }
        func home(_ id: Int) -> Int? {
            let application = applications[id]!
            let span = application.element ?? application.anchor..<(application.anchor + 1)
            return initializers.firstIndex { $0.lowerBound <= span.lowerBound && span.upperBound <= $0.upperBound }
        }
        guard mine.allSatisfy({ home($0) != nil }) else { return elementwise }
        // `let x = e` in code: the copies are assignments to a slot typed like `e`, each checked on its own, so that
        // every copy that does not compile is reported in one compilation (the branches of an `if` expression are
        // checked together, and only the first failing one is reported). Not in an initialiser, where the slot's
        // closure could capture `self` before it is initialised.
        if initializers.count == 1, let initializer = initializers.first, !inTypeBody(lower), !inInitializerBody(lower),
           head == lower || (lower..<head).allSatisfy({ isTrivia($0) || tokens[$0].text != "lazy" && tokens[$0].text != "static" }),
           let name = nextSignificant(head), tokens[name].kind == .identifier, let equals = nextSignificant(name),
           tokens[equals].kind == .operator, tokens[equals].text == "=", nextSignificant(equals) == initializer.lowerBound {
            let slot = "_mutantSlot\(mine[0])"
            return before + "var \(slot) = _mutantSlot { \(plain(initializer)) }; " + switched(initializer, active, lead: "\(slot) = ") + "; "
                + originalText(lower..<initializer.lowerBound) + "\(slot)!" + originalText(initializer.upperBound..<upper) + after
        }
        var text = before
        var cursor = lower
        for (number, initializer) in initializers.enumerated() {
            text += originalText(cursor..<initializer.lowerBound)
            let ids = active.filter { home($0) == number }
            text += ids.isEmpty ? originalText(initializer) : switched(initializer, ids)
            cursor = initializer.upperBound
        }
        return text + originalText(cursor..<upper) + after
    }

    /// Whether the token at `index` stands anywhere inside an initialiser's body (`init(…) { … }`), where a closure
    /// that reads a stored property before every one is set does not compile ("captured by a closure before being
    /// initialized"), though it type-checks.
    func inInitializerBody(_ index: Int) -> Bool {
        enclosingBraces(of: index).contains { headerKeyword(ofBraceAt: $0) == "init" }
    }

    /// Whether the token at `index` stands directly in the body of a type (a `struct`, `class`, `enum`, `extension`,
    /// `protocol` or `actor`), where only declarations may stand.
    func inTypeBody(_ index: Int) -> Bool {
        guard let open = enclosingBraces(of: index).max(), let keyword = headerKeyword(ofBraceAt: open) else { return false }
        return Self.typeKeywords.contains(keyword)
    }

    /// The `{` of every brace pair around the token at `index`.
    private func enclosingBraces(of index: Int) -> [Int] {
        closing.filter { $0.key < index && $0.value >= index && tokens[$0.key].text == "{" }.map(\.key)
    }

    static let typeKeywords: Set<String> = ["struct", "class", "enum", "extension", "protocol", "actor"]
    static let headerKeywords = typeKeywords.union(["func", "init", "subscript", "var", "let", "in"])

    /// The word that says what the brace at `open` opens, read back along its header on its line: a type's keyword,
    /// `func`, `init`, `subscript`, `var` or `let`, or a closure's `in`; nil for a statement's body. A parameter list
    /// is passed whole, over several lines too (`init(x: Int,⏎ y: Int) throws {`).
    private func headerKeyword(ofBraceAt open: Int) -> String? {
        var cursor = open - 1
        while cursor >= 0 && isTrivia(cursor) { cursor -= 1 }  // a brace on a line of its own
        while cursor >= 0, tokens[cursor].kind != .newline, !["{", "}", ";"].contains(tokens[cursor].text) {
            if Self.headerKeywords.contains(tokens[cursor].text) { return tokens[cursor].text }
            if tokens[cursor].kind == .punctuation, tokens[cursor].text == ")", let opening = closing.first(where: { $0.value == cursor })?.key {
                cursor = opening
            }
            cursor -= 1
        }
        return nil
    }

    /// Renders tokens `range` element by element: nested groups recursively, elements split by separators, each
    /// element switched over its changes.
    private mutating func renderElements(_ range: Range<Int>, statementLevel: Bool, subscriptLevel: Bool) -> String {
        var text = ""
        var elementStart = range.lowerBound
        var index = range.lowerBound
        var statementCompound: [Change] = []
        var statementHasNewline = false
        var statementText = ""
        var statementKeyword: String? = nil
        func flushStatement(_ builder: inout SchemaBuilder) {
            if !statementCompound.isEmpty && !statementHasNewline {
                var rendered = statementText
                for change in statementCompound.reversed() {
                    let id = builder.register(change)
                    guard !builder.excluded.contains(id) else { continue }
                    let mutated = statementText.replacingFirstToken(change.original, with: change.replacement)
                    rendered = "if _mutantActive(\(id)) { \(mutated) } else { \(rendered) }"
                }
                text += rendered
            } else {
                text += statementText
            }
            statementText = ""
            statementCompound = []
            statementHasNewline = false
            statementKeyword = nil
        }
        while index <= range.upperBound {
            let atEnd = index == range.upperBound
            if !atEnd, statementKeyword == nil, !isTrivia(index) { statementKeyword = tokens[index].text }
            if atEnd || isSeparator(index, statementLevel: statementLevel) {
                statementText += renderElement(elementStart..<index, subscriptLevel: subscriptLevel)
                if !atEnd {
                    let token = tokens[index]
                    if statementLevel, token.kind == .operator, let swapped = Self.compoundSwaps[token.text] {
                        statementCompound.append(Change(operatorKind: .compoundAssignment, anchor: index, edits: [index: swapped],
                                                        original: token.text, replacement: swapped))
                    }
                    let endsStatement = statementLevel && (token.kind == .newline || (token.kind == .punctuation && token.text == ";"))
                    if endsStatement {
                        flushStatement(&self)
                        text += token.text
                    } else if statementLevel, endsLabel(index, statementKeyword: statementKeyword, statementText: statementText) {
                        // `case 0:`, `default:` or `outer:` before a loop: the label stays outside the statement after it.
                        statementText += token.text
                        flushStatement(&self)
                    } else {
                        statementText += token.text
                    }
                } else {
                    flushStatement(&self)
                }
                elementStart = index + 1
                index += 1
                continue
            }
            if tokens[index].kind == .newline { statementHasNewline = true }
            if statementLevel, tokens[index].kind == .keyword, tokens[index].text == "else" { statementKeyword = "else" }
            if tokens[index].kind == .punctuation, tokens[index].text == "{", let close = closing[index], close < range.upperBound,
               let keyword = statementKeyword, Self.bodyKeywords.contains(keyword) {
                // A body: the element before it ends here, and the body is a level of its own.
                statementText += renderElement(elementStart..<index, subscriptLevel: subscriptLevel)
                statementText += "{" + renderLevel((index + 1)..<close, statementLevel: true, subscriptLevel: false) + "}"
                statementHasNewline = true
                elementStart = close + 1
                index = close + 1
                continue
            }
            if tokens[index].kind == .punctuation, ["(", "[", "{"].contains(tokens[index].text), let close = closing[index], close < range.upperBound {
                if (tokens[index].text == "{" || close > index) && tokens[index..<close].contains(where: { $0.kind == .newline }) { statementHasNewline = true }
                index = close + 1
                continue
            }
            index += 1
        }
        return text
    }

    /// Registers a site for `change` and returns its number.
    private mutating func register(_ change: Change, element: Range<Int>? = nil) -> Int {
        let id = nextID + sites.count
        let last = element.map { $0.upperBound - 1 }
        applications[id] = Application(anchor: change.anchor, edits: change.edits, prefix: change.prefix, suffix: change.suffix, element: element)
        let token = tokens[change.anchor]
        var site = MutantSite(id: id, mutationOperator: change.operatorKind, line: firstLine + token.line, column: token.column,
                              original: change.original, replacement: change.replacement)
        site.lastLine = last.map { firstLine + tokens[$0].line }
        site.file = file
        let mark = MutantSite.normalisedMark("\(change.operatorKind.rawValue) \(change.original) → \(change.replacement.isEmpty ? "(removed)" : change.replacement)")
        if let entry = annotations.equivalences[token.line], entry.operators.map({ $0.contains(change.operatorKind.rawValue) || $0.contains(mark) }) ?? true {
            site.equivalentBecause = entry.reason
        }
        // On a line of instance data, a removed minus is another instance only in front of a number (`-3` → `3`);
        // before a name (`-x` → `x`) it changes a formula.
        let negatesNumber = change.operatorKind != .negationRemoval
            || nextSignificant(change.anchor).map { tokens[$0].kind == .number } == true
        if MutationOperator.instanceDataOperators.contains(change.operatorKind), negatesNumber {
            site.instanceDataBecause = annotations.instanceData[token.line]
            site.thresholdBecause = annotations.thresholds[token.line]
        } else if change.operatorKind == .negationInsertion {
            // A sample declared on a line of instance data, negated, is another sample (a threshold negated is no
            // other threshold).
            site.instanceDataBecause = annotations.instanceData[token.line]
        }
        sites.append(site)
        return id
    }

    /// Renders tokens `range` (one element): nested groups first, then the element switched over its own changes.
    private mutating func renderElement(_ whole: Range<Int>, subscriptLevel: Bool) -> String {
        guard !whole.isEmpty else { return "" }
        // Leading and trailing whitespace and comments stay outside the switch (a comment would swallow it).
        var lower = whole.lowerBound, upper = whole.upperBound
        while lower < upper && isTrivia(lower) { lower += 1 }
        while upper > lower && isTrivia(upper - 1) { upper -= 1 }
        let before = tokens[whole.lowerBound..<lower].map(\.text).joined()
        let after = tokens[upper..<whole.upperBound].map(\.text).joined()
        guard lower < upper else { return before + after }
        let range = lower..<upper
        // Literal mutants switch at their token: `_literalN(3, k, 4, …)`.
        var changes = elementChanges(range)
        var literalAlternatives: [Int: [(id: Int, text: String)]] = [:]
        for change in changes where change.operatorKind == .literal {
            let id = register(change, element: range)
            literalSites.insert(id)
            if !excluded.contains(id), let text = change.edits[change.anchor] { literalAlternatives[change.anchor, default: []].append((id, text)) }
        }
        changes.removeAll { $0.operatorKind == .literal }
        for (anchor, alternatives) in literalAlternatives where !alternatives.isEmpty {
            literalSwitches[anchor] = "_literal\(alternatives.count)(\(tokens[anchor].text), "
                + alternatives.map { "\($0.id), \($0.text)" }.joined(separator: ", ") + ")"
        }
        // Render nested groups, remembering their text for both branches.
        var pieces: [(range: Range<Int>, text: String)] = []
        var index = range.lowerBound
        // An element over several lines is not switched: a copy on one line could join statements or break a string,
        // and a copy of a call over several lines can cost the type checker more than the whole file. Its mutants are
        // unviable, with the reason.
        var multiline = false
        while index < range.upperBound {
            let token = tokens[index]
            if token.kind == .punctuation, ["(", "[", "{"].contains(token.text), let close = closing[index], close < range.upperBound {
                let innerText = renderLevel((index + 1)..<close, statementLevel: token.text == "{",
                                            subscriptLevel: token.text == "[" && isSubscript(index))
                if tokens[index...close].contains(where: { $0.kind == .newline || ($0.kind == .string && $0.text.contains("\n")) }) { multiline = true }
                pieces.append((index..<(close + 1), token.text + innerText + tokens[close].text))
                index = close + 1
            } else {
                if token.kind == .string && token.text.contains("\n") { multiline = true }
                pieces.append((index..<(index + 1), literalSwitches[index] ?? token.text))
                index += 1
            }
        }
        let significant = range.filter { !isTrivia($0) }
        let isLabel = whole.upperBound < tokens.count && tokens[whole.upperBound].kind == .punctuation && tokens[whole.upperBound].text == ":"
        let isLabelled = previousSignificant(whole.lowerBound).map { tokens[$0].kind == .punctuation && tokens[$0].text == ":" } ?? false
        // A range in a subscript (`xs[(k + 1)...]`, `xs[i..<j]`) is no index: its bounds have mutants of their own
        // (`range-bound`, `literal`, `arithmetic`), and a range ± 1 does not compile. Only the element's own tokens
        // count: `xs[ys[1...].count]` has an index.
        let holdsRange = ownTokens(range).contains { tokens[$0].kind == .operator && ["...", "..<"].contains(tokens[$0].text) }
        if subscriptLevel, !significant.isEmpty, !isLabel, !isLabelled, !holdsRange, tokens[significant[0]].kind != .keyword,
           !(significant.count == 1 && tokens[significant[0]].kind == .number) {
            for (sign, name) in [("+", "+ 1"), ("-", "- 1")] {
                changes.append(Change(operatorKind: .index, anchor: significant[0], prefix: "(", suffix: ") \(sign) 1",
                                      original: "[i]", replacement: "[i \(name)]"))
            }
        }
        let original = pieces.map(\.text).joined()
        guard !changes.isEmpty else { return before + original + after }
        var alternatives: [(id: Int, text: String)] = []
        for change in changes {
            let id = register(change, element: range)
            if multiline {
                sites[sites.count - 1].notSwitchedBecause = "its element spans several lines (write the value on one line, or bind its parts to names, to mutate it)"
                continue
            }
            guard !excluded.contains(id) else { continue }
            // Only one mutant is active at a time, so inside a mutated copy the nested groups are written plain:
            // their own switches live in the original branch alone, and the schema grows linearly, not as a product.
            alternatives.append((id, plain(range, applying: applications[id]!)))
        }
        guard !alternatives.isEmpty else { return before + original + after }
        // One alternative: `_mutant(k, MUTATED, ORIGINAL)`. Several: `_mutants(like: { PLAIN }, { SWITCH })`, whose
        // switch the compiler types return by return against the type of the plain original (nested `_mutant` calls
        // would be typed jointly, which grows exponentially; a closure alone would join its returns' types, so that
        // `[1, 2]` with mutated literals became `[Any]`), unless the element uses a closure's anonymous arguments
        // (`$0`), which an inner closure would capture.
        let usesAnonymousArguments = tokens[range].contains { $0.kind == .identifier && $0.text.hasPrefix("$") }
        if alternatives.count == 1 || usesAnonymousArguments {
            var switched = original
            for alternative in alternatives.reversed() { switched = "_mutant(\(alternative.id), \(alternative.text), \(switched))" }
            return before + switched + after
        }
        let branches = alternatives.map { "if _mutantActive(\($0.id)) { return \($0.text) }; " }.joined()
        let throwing = tokens[range].contains { $0.kind == .keyword && $0.text == "try" } ? "try " : ""
        return before + "\(throwing)_mutants(like: { \(plain(range)) }, { () in \(branches)return \(original) })" + after
    }

    /// Tokens `range` on one line with no switches and no comments, with a mutant's change applied.
    private func plain(_ range: Range<Int>, applying change: Application? = nil) -> String {
        String(range.map { index -> String in
            var text: String
            if let edit = change?.edits[index] {
                text = edit
            } else {
                switch tokens[index].kind {
                case .comment: text = ""
                case .newline: text = " "
                default: text = tokens[index].text
                }
            }
            if let change, let element = change.element {
                if index == element.lowerBound { text = change.prefix + text }
                if index == element.upperBound - 1 { text += change.suffix }
            }
            return text
        }.joined().trimmingCharacters())
    }

    /// The indices of tokens `range` outside every bracketed group in it (a group's brackets and contents left out).
    private func ownTokens(_ range: Range<Int>) -> [Int] {
        var own: [Int] = []
        var index = range.lowerBound
        while index < range.upperBound {
            if tokens[index].kind == .punctuation, ["(", "[", "{"].contains(tokens[index].text), let close = closing[index], close < range.upperBound {
                index = close + 1
                continue
            }
            own.append(index)
            index += 1
        }
        return own
    }

    /// The changes whose tokens sit directly in the element `range` (not in nested groups).
    private func elementChanges(_ range: Range<Int>) -> [Change] {
        var changes: [Change] = []
        let direct = ownTokens(range)
        for index in direct {
            let token = tokens[index]
            switch token.kind {
            case .number:
                if let before = previousSignificant(index), tokens[before].kind == .punctuation, tokens[before].text == "." { continue }
                // An enum case's raw value (`case second = 2`) must be a literal: it cannot be switched at run time.
                if isRawValue(index) { continue }
                changes += literalChanges(index)
            case .operator:
                let text = token.text
                // The name of an operator function (`static func + (l: T, r: T)`) is not an operation.
                if let before = previousSignificant(index), tokens[before].kind == .keyword, ["func", "operator"].contains(tokens[before].text) { break }
                if ["+", "-", "*", "/"].contains(text) && isBinary(index) {
                    let swap = ["+": "-", "-": "+", "*": "/", "/": "*"][text]!
                    changes.append(Change(operatorKind: .arithmetic, anchor: index, edits: [index: swap], original: text, replacement: swap))
                } else if text == "-" && !leftBound(index) && rightBound(index) {
                    changes.append(Change(operatorKind: .negationRemoval, anchor: index, edits: [index: ""], original: "-", replacement: ""))
                } else if ["<", "<=", ">", ">="].contains(text) && isSpacedBinary(index) {
                    let swap = ["<": "<=", "<=": "<", ">": ">=", ">=": ">"][text]!
                    changes.append(Change(operatorKind: .comparison, anchor: index, edits: [index: swap], original: text, replacement: swap))
                } else if ["..<", "..."].contains(text) && isBinary(index) {
                    changes.append(Change(operatorKind: .rangeBound, anchor: index, edits: [index: " \(text) 1 + "],
                                          original: "\(text)b", replacement: "\(text)b + 1"))
                    changes.append(Change(operatorKind: .rangeBound, anchor: index, edits: [index: " \(text) -1 + "],
                                          original: "\(text)b", replacement: "\(text)b - 1"))
                }
            case .identifier where token.text == "transposed":
                if let before = previousSignificant(index), tokens[before].kind == .punctuation, tokens[before].text == ".", before == index - 1 {
                    changes.append(Change(operatorKind: .transpose, anchor: before, edits: [before: "", index: ""],
                                          original: ".transposed", replacement: ""))
                }
            default: break
            }
        }
        // A `let`/`var` initialiser: insert a unary minus before the whole value (unless the value is a number, whose
        // n → −n is a literal mutant already).
        let value = range.filter { !isTrivia($0) }
        let isNumber = !value.isEmpty && tokens[value.last!].kind == .number
            && (value.count == 1 || (value.count == 2 && tokens[value[0]].kind == .operator && tokens[value[0]].text == "-"))
        if let before = previousSignificant(range.lowerBound), tokens[before].kind == .operator, tokens[before].text == "=",
           declaresVariable(before), direct.contains(where: { !isTrivia($0) }), !isNumber, !declaredUnnegatable(before),
           !valueUnnegatable(range, direct: direct) {
            changes.append(Change(operatorKind: .negationInsertion, anchor: nextSignificant(before) ?? range.lowerBound,
                                  prefix: "-(", suffix: ")", original: "= e", replacement: "= -(e)"))
        }
        return changes
    }

    /// Whether the declaration whose `=` is at `index` states a type that has no unary minus: an array or dictionary
    /// (`[…]`), a tuple or function type (`(…)`), an optional (`T?`), or a name in ``unnegatable``.
    private func declaredUnnegatable(_ index: Int) -> Bool {
        guard !unnegatable.isEmpty else { return false }
        // The annotation: from the `:` after the declared name to the `=`, at this level.
        var cursor = index - 1
        var annotation: [SwiftToken] = []
        var depth = 0
        while cursor >= 0 && tokens[cursor].kind != .newline {
            let token = tokens[cursor]
            if token.kind == .punctuation && [")", "]"].contains(token.text) { depth += 1 }
            if token.kind == .punctuation && ["(", "["].contains(token.text) { depth -= 1 }
            if depth == 0 && token.kind == .punctuation && token.text == ":" { break }
            if token.kind == .keyword && (token.text == "let" || token.text == "var") { return false }
            if !Self.isTrivia(token) { annotation.insert(token, at: 0) }
            cursor -= 1
        }
        guard cursor >= 0, tokens[cursor].text == ":", let first = annotation.first, let last = annotation.last else { return false }
        if first.kind == .punctuation && first.text == "[" && last.text == "]" { return true }
        // A tuple (`(a: T, b: U)`), not a type in parentheses: a comma at its own level.
        if first.kind == .punctuation && first.text == "(" && last.text == ")" {
            var depth = 0
            for token in annotation where token.kind == .punctuation {
                if ["(", "[", "<"].contains(token.text) { depth += 1 } else if [")", "]", ">"].contains(token.text) { depth -= 1 }
                if token.text == "," && depth == 1 { return true }
            }
        }
        if last.kind == .operator && (last.text == "?" || last.text == "!") { return true }
        return first.kind == .identifier && unnegatable.contains(first.text)
            && (annotation.count == 1 || annotation[1].text.hasPrefix("<"))
    }

    /// Operators whose result has no minus: comparisons and logic give a `Bool`, range operators a range.
    static let unnegatableResultOperators: Set<String> = ["==", "!=", "<", ">", "<=", ">=", "&&", "||", "..<", "...", "==="]

    /// Whether the value `range` (an initialiser, `direct` its tokens outside brackets) is of a type without a minus by
    /// its shape: a comparison, a logical or range expression at its own level (not a conditional `? :`, whose branches
    /// decide), a negation `!…`, a string, or a call `T(…)` of a type in ``unnegatable``.
    private func valueUnnegatable(_ range: Range<Int>, direct: [Int]) -> Bool {
        guard !unnegatable.isEmpty else { return false }
        let significant = direct.filter { !isTrivia($0) }
        guard let first = significant.first else { return false }
        if significant.contains(where: { tokens[$0].kind == .operator && tokens[$0].text == "?" }) { return false }
        // `<` and `>` with spaces around them (written without, they may be a generic type's brackets).
        if significant.contains(where: { tokens[$0].kind == .operator && Self.unnegatableResultOperators.contains(tokens[$0].text)
            && (!["<", ">"].contains(tokens[$0].text) || isSpacedBinary($0)) }) { return true }
        if tokens[first].kind == .operator && tokens[first].text == "!" { return true }
        if significant.count == 1 && tokens[first].kind == .string { return true }
        // `T(…)` and nothing after it.
        if significant.count == 1, tokens[first].kind == .identifier, unnegatable.contains(tokens[first].text),
           let open = nextSignificant(first), tokens[open].text == "(", let close = closing[open],
           !range.contains(where: { $0 > close && !isTrivia($0) }) { return true }
        return false
    }

    /// Whether the `=` at `index` belongs to a `let` or `var` declaration on its line.
    private func declaresVariable(_ index: Int) -> Bool {
        var cursor = index - 1
        var depth = 0
        while cursor >= 0 && tokens[cursor].kind != .newline {
            let token = tokens[cursor]
            if token.kind == .punctuation && [")", "]", "}"].contains(token.text) { depth += 1 }
            if token.kind == .punctuation && ["(", "[", "{"].contains(token.text) { if depth == 0 { return false }; depth -= 1 }
            if depth == 0 && token.kind == .keyword && (token.text == "let" || token.text == "var") {
                // `if case let .x(a) = e` matches a pattern: `e` is no value to negate.
                var before = cursor - 1
                while before >= 0 && tokens[before].kind == .whitespace { before -= 1 }
                return !(before >= 0 && tokens[before].kind == .keyword && tokens[before].text == "case")
            }
            cursor -= 1
        }
        return false
    }

    /// n → n+1, n → −n, nonzero → 0, 0 → 1, 2 → 1 for the literal at `index`.
    /// Whether the number at `index` is an enum case's raw value: `case NAME = N` (or `-N`), or a later `NAME = N` of
    /// the same `case` list.
    func isRawValue(_ index: Int) -> Bool {
        var cursor = previousSignificant(index)
        if let minus = cursor, tokens[minus].text == "-" { cursor = previousSignificant(minus) }
        guard let equals = cursor, tokens[equals].kind == .operator, tokens[equals].text == "=",
              let name = previousSignificant(equals), tokens[name].kind == .identifier else { return false }
        var before = previousSignificant(name)
        // Back over earlier entries of the list: `case a = 1, b = 2`.
        while let comma = before, tokens[comma].text == "," {
            var back = previousSignificant(comma)
            while let token = back, tokens[token].text != ",", tokens[token].kind != .keyword { back = previousSignificant(token) }
            before = back
        }
        return before.map { tokens[$0].kind == .keyword && tokens[$0].text == "case" } ?? false
    }

    private func literalChanges(_ index: Int) -> [Change] {
        let text = tokens[index].text
        let plain = text.replacingOccurrences(of: "_", with: "")
        guard !plain.hasPrefix("0x") && !plain.hasPrefix("0b") && !plain.hasPrefix("0o") else { return [] }
        let isInteger = !plain.contains(".") && !plain.lowercased().contains("e")
        var replacements: [String] = []
        // n → n + 1 only where it is another number: not past Int.max, nor at a Double too large to change by 1.
        if isInteger, let value = Int(plain) {
            let (next, overflow) = value.addingReportingOverflow(1)
            if !overflow { replacements.append(String(next)) }
            if value != 0 { replacements += ["(-\(plain))", "0"] } else { replacements.append("1") }
            if value == 2 { replacements.append("1") }
        } else if let value = Double(plain) {
            if value + 1 != value { replacements.append(String(value + 1)) }
            if value != 0 { replacements += ["(-\(plain))", "0.0"] } else { replacements.append("1.0") }
        }
        var seen = Set<String>()
        return replacements.filter { seen.insert($0).inserted }.map {
            Change(operatorKind: .literal, anchor: index, edits: [index: $0], original: text, replacement: $0)
        }
    }
}

extension String {
    /// The text with the first occurrence of `token` (as a whole operator) replaced.
    func replacingFirstToken(_ token: String, with replacement: String) -> String {
        guard let range = range(of: " \(token) ") else {
            return range(of: token).map { replacingCharacters(in: $0, with: replacement) } ?? self
        }
        return replacingCharacters(in: range, with: " \(replacement) ")
    }
}
