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
}

/// One mutant: a single change at one place of a file's runnable code.
public struct MutantSite: Codable, Sendable, Equatable {
    /// The mutant's number within its file, from 1.
    public var id: Int
    public var mutationOperator: MutationOperator
    /// The Markdown line and column of the changed code.
    public var line: Int
    public var column: Int
    /// The code before and after, as shown to a reader ("a + b" → "a - b" is shown as "+ → -").
    public var original: String
    public var replacement: String
    /// The reason given on the line for accepting this mutant as equivalent, if any.
    public var equivalentBecause: String?
    /// The last Markdown line of the code the mutant's switch spans (a compile error there may be the mutant's).
    public var lastLine: Int? = nil
}

/// Finds the mutants of a file's runnable blocks and writes the *mutant schema*: one program holding every
/// mutant, each switched on at run time by its number (`VERIFY_MUTANT`), so that one compilation serves all.
///
/// The change of a mutant sits inside the smallest syntactic element that holds it — an argument, an array
/// entry, the value of an assignment, a condition, a closure body — and that element becomes
/// `_mutant(k, MUTATED, ORIGINAL)`, which evaluates only the active branch. Compound assignments become
/// `if _mutantActive(k) { … } else { … }`. The mutated copy is written on one line, so every line keeps its
/// Markdown number. String literals, comments and claim labels are never touched.
struct MutantSchema {
    /// The runnable blocks, in order.
    var blocks: [CodeBlock]
    /// Sites that are left out (for example because the schema did not compile with them).
    var excluded: Set<Int> = []

    private(set) var sites: [MutantSite] = []
    private var lexed: [[SwiftToken]] = []

    init(blocks: [CodeBlock]) {
        self.blocks = blocks.filter(\.role.runs)
        lexed = self.blocks.map { SwiftLexer.tokens($0.code) }
        var counter = 0
        for (index, tokens) in lexed.enumerated() {
            var builder = SchemaBuilder(tokens: tokens, firstLine: self.blocks[index].firstContentLine, nextID: counter + 1)
            _ = builder.render(excluded: [])
            sites += builder.sites
            counter += builder.sites.count
        }
    }

    /// The code of each block with every site not in `excluded` switchable.
    func renderedBlocks(excluding excluded: Set<Int>) -> [String] {
        var counter = 0
        var rendered: [String] = []
        for (index, tokens) in lexed.enumerated() {
            var builder = SchemaBuilder(tokens: tokens, firstLine: blocks[index].firstContentLine, nextID: counter + 1)
            rendered.append(builder.render(excluded: excluded))
            counter += builder.sites.count
        }
        return rendered
    }
}

/// Renders one block's tokens with mutant switches, numbering its sites from `nextID`.
struct SchemaBuilder {
    let tokens: [SwiftToken]
    let firstLine: Int
    var nextID: Int
    var sites: [MutantSite] = []
    /// The sites of this rendering that are switched in (not excluded), by number.
    private var excluded: Set<Int> = []

    /// Matching bracket positions: for each opening token index, its closing index.
    let closing: [Int: Int]
    /// Reasons for accepted equivalent mutants, by 0-based line of the block:
    /// `// mutant-equivalent: REASON` or `// mutant-equivalent(operator, …): REASON`.
    let equivalences: [Int: (operators: Set<String>?, reason: String)]

    init(tokens: [SwiftToken], firstLine: Int, nextID: Int) {
        self.tokens = tokens
        self.firstLine = firstLine
        self.nextID = nextID
        closing = Self.matchBrackets(tokens)
        equivalences = Self.equivalenceComments(tokens)
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

    static func equivalenceComments(_ tokens: [SwiftToken]) -> [Int: (operators: Set<String>?, reason: String)] {
        var result: [Int: (operators: Set<String>?, reason: String)] = [:]
        for token in tokens where token.kind == .comment {
            guard let range = token.text.range(of: "mutant-equivalent") else { continue }
            var rest = token.text[range.upperBound...]
            var operators: Set<String>? = nil
            if rest.hasPrefix("("), let close = rest.firstIndex(of: ")") {
                operators = Set(rest[rest.index(after: rest.startIndex)..<close].split(separator: ",").map { $0.trimmingCharacters().description })
                rest = rest[rest.index(after: close)...]
            }
            let reason = rest.drop { $0 == ":" || $0 == " " }.trimmingCharacters()
            result[token.line] = (operators, reason.isEmpty ? "(no reason given)" : String(reason))
        }
        return result
    }

    func isTrivia(_ index: Int) -> Bool {
        [.whitespace, .newline, .comment].contains(tokens[index].kind)
    }
    func previousSignificant(_ index: Int) -> Int? {
        var cursor = index - 1
        while cursor >= 0 && isTrivia(cursor) { cursor -= 1 }
        return cursor >= 0 ? cursor : nil
    }
    func nextSignificant(_ index: Int) -> Int? {
        var cursor = index + 1
        while cursor < tokens.count && isTrivia(cursor) { cursor += 1 }
        return cursor < tokens.count ? cursor : nil
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

    /// Whether the newline at `index` continues the statement (a binary operator ends the line or starts the next,
    /// or the next line starts with `.member`).
    func isContinuation(_ index: Int) -> Bool {
        if let before = previousSignificant(index), tokens[before].kind == .operator, isBinary(before) || tokens[before].text == "=" { return true }
        if let before = previousSignificant(index), tokens[before].kind == .punctuation, tokens[before].text == "," { return true }
        if let after = nextSignificant(index) {
            if tokens[after].kind == .punctuation && tokens[after].text == "." { return true }
            if tokens[after].kind == .operator && isSpacedBinary(after) && tokens[after].text != "?" { return true }
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

    /// The schema text of the whole block.
    mutating func render(excluded: Set<Int>) -> String {
        self.excluded = excluded
        sites = []
        return renderLevel(0..<tokens.count, statementLevel: true, subscriptLevel: false)
    }

    /// Renders tokens `range` at one level: nested groups recursively, elements split by separators, each element
    /// switched over its changes.
    private mutating func renderLevel(_ range: Range<Int>, statementLevel: Bool, subscriptLevel: Bool) -> String {
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
                        statementCompound.append(Change(operatorKind: .compoundAssignment, anchor: index, original: token.text, replacement: swapped))
                    }
                    let endsStatement = statementLevel && (token.kind == .newline || (token.kind == .punctuation && token.text == ";"))
                    if endsStatement {
                        flushStatement(&self)
                        text += token.text
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
    private mutating func register(_ change: Change, through last: Int? = nil) -> Int {
        let id = nextID + sites.count
        let token = tokens[change.anchor]
        var site = MutantSite(id: id, mutationOperator: change.operatorKind, line: firstLine + token.line, column: token.column,
                              original: change.original, replacement: change.replacement)
        site.lastLine = last.map { firstLine + tokens[$0].line }
        if let entry = equivalences[token.line], entry.operators.map({ $0.contains(change.operatorKind.rawValue) }) ?? true {
            site.equivalentBecause = entry.reason
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
        // Render nested groups, remembering their text for both branches.
        var pieces: [(range: Range<Int>, text: String)] = []
        var index = range.lowerBound
        var multiline = false
        while index < range.upperBound {
            let token = tokens[index]
            if token.kind == .punctuation, ["(", "[", "{"].contains(token.text), let close = closing[index], close < range.upperBound {
                let innerText = renderLevel((index + 1)..<close, statementLevel: token.text == "{",
                                            subscriptLevel: token.text == "[" && leftBound(index))
                if tokens[index...close].contains(where: { $0.kind == .newline || ($0.kind == .string && $0.text.contains("\n")) }) { multiline = true }
                pieces.append((index..<(close + 1), token.text + innerText + tokens[close].text))
                index = close + 1
            } else {
                if token.kind == .string && token.text.contains("\n") { multiline = true }
                pieces.append((index..<(index + 1), token.text))
                index += 1
            }
        }
        var changes = elementChanges(range)
        let significant = range.filter { !isTrivia($0) }
        let isLabel = whole.upperBound < tokens.count && tokens[whole.upperBound].kind == .punctuation && tokens[whole.upperBound].text == ":"
        let isLabelled = previousSignificant(whole.lowerBound).map { tokens[$0].kind == .punctuation && tokens[$0].text == ":" } ?? false
        if subscriptLevel, !significant.isEmpty, !isLabel, !isLabelled, tokens[significant[0]].kind != .keyword,
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
            let id = register(change, through: range.upperBound - 1)
            guard !excluded.contains(id), !multiline else { continue }
            // Only one mutant is active at a time, so inside a mutated copy the nested groups are written plain:
            // their own switches live in the original branch alone, and the schema grows linearly, not as a product.
            let mutated = pieces.map { piece -> String in
                if piece.range.count == 1, let edit = change.edits[piece.range.lowerBound] { return edit }
                let token = tokens[piece.range.lowerBound]
                if piece.range.count == 1 && token.kind == .comment { return "" }
                if piece.range.count == 1 && token.kind == .newline { return " " }
                return tokens[piece.range].map { $0.kind == .comment ? "" : $0.text }.joined()
            }.joined().trimmingCharacters()
            alternatives.append((id, change.prefix + String(mutated) + change.suffix))
        }
        guard !alternatives.isEmpty else { return before + original + after }
        // One alternative: `_mutant(k, MUTATED, ORIGINAL)`. Several: an immediately called closure whose returns
        // the compiler types one by one (nested `_mutant` calls would be typed jointly, which grows exponentially),
        // unless the element uses a closure's anonymous arguments (`$0`), which an inner closure would capture.
        let usesAnonymousArguments = tokens[range].contains { $0.kind == .identifier && $0.text.hasPrefix("$") }
        if alternatives.count == 1 || usesAnonymousArguments {
            var switched = original
            for alternative in alternatives.reversed() { switched = "_mutant(\(alternative.id), \(alternative.text), \(switched))" }
            return before + switched + after
        }
        let branches = alternatives.map { "if _mutantActive(\($0.id)) { return \($0.text) }; " }.joined()
        return before + "({ () in \(branches)return \(original) }())" + after
    }

    /// The changes whose tokens sit directly in the element `range` (not in nested groups).
    private func elementChanges(_ range: Range<Int>) -> [Change] {
        var changes: [Change] = []
        var index = range.lowerBound
        var direct: [Int] = []
        while index < range.upperBound {
            if tokens[index].kind == .punctuation, ["(", "[", "{"].contains(tokens[index].text), let close = closing[index], close < range.upperBound {
                index = close + 1
                continue
            }
            direct.append(index)
            index += 1
        }
        for index in direct {
            let token = tokens[index]
            switch token.kind {
            case .number:
                if let before = previousSignificant(index), tokens[before].kind == .punctuation, tokens[before].text == "." { continue }
                changes += literalChanges(index)
            case .operator:
                let text = token.text
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
        // A `let`/`var` initialiser: insert a unary minus before the whole value.
        if let before = previousSignificant(range.lowerBound), tokens[before].kind == .operator, tokens[before].text == "=",
           declaresVariable(before), direct.contains(where: { !isTrivia($0) }) {
            changes.append(Change(operatorKind: .negationInsertion, anchor: nextSignificant(before) ?? range.lowerBound,
                                  prefix: "-(", suffix: ")", original: "= e", replacement: "= -(e)"))
        }
        return changes
    }

    /// Whether the `=` at `index` belongs to a `let` or `var` declaration on its line.
    private func declaresVariable(_ index: Int) -> Bool {
        var cursor = index - 1
        var depth = 0
        while cursor >= 0 && tokens[cursor].kind != .newline {
            let token = tokens[cursor]
            if token.kind == .punctuation && [")", "]", "}"].contains(token.text) { depth += 1 }
            if token.kind == .punctuation && ["(", "[", "{"].contains(token.text) { if depth == 0 { return false }; depth -= 1 }
            if depth == 0 && token.kind == .keyword && (token.text == "let" || token.text == "var") { return true }
            cursor -= 1
        }
        return false
    }

    /// n → n+1, n → −n, nonzero → 0, 0 → 1, 2 → 1 for the literal at `index`.
    private func literalChanges(_ index: Int) -> [Change] {
        let text = tokens[index].text
        let plain = text.replacingOccurrences(of: "_", with: "")
        guard !plain.hasPrefix("0x") && !plain.hasPrefix("0b") && !plain.hasPrefix("0o") else { return [] }
        let isInteger = !plain.contains(".") && !plain.lowercased().contains("e")
        var replacements: [String] = []
        if isInteger, let value = Int(plain) {
            replacements.append(String(value + 1))
            if value != 0 { replacements += ["(-\(plain))", "0"] } else { replacements.append("1") }
            if value == 2 { replacements.append("1") }
        } else if let value = Double(plain) {
            replacements.append(String(value + 1))
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
