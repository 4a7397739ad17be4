import Foundation

/// Mutants that cannot compile, found from the types of the code as written before any mutant schema is compiled:
/// operator swaps (`+` ↔ `-`, `*` ↔ `/`, `+=` ↔ `-=`), moved indices (`x[(i) + 1]`), inserted minuses (`let y = -(e)`)
/// and negated numbers stored as unsigned integers.
///
/// Most of a schema's first compilation goes to the compiler diagnosing copies that cannot compile (`Matrix / Vector`,
/// `[BigFloat] - [BigFloat]`, a minus on a tuple), and an expression with several such copies reports one per
/// compilation, so that they cost a round each. One type-checking pass of the unmutated program (`-dump-ast`) gives
/// the types of every operand, index and declared value; one more asks, for each change, whether it applies to those
/// types at all, each in a function of its own (`func p(_ a: Matrix, _ b: Vector) { _ = a / b }`), so that every answer
/// is independent of the others.
///
/// A change is ruled out only when the compiler says the operator cannot be applied to those types, and only when the
/// types cannot change with the operator: the operands hold values, properties of concrete types and operators on
/// them, with numbers only where a value beside them types them. A call or subscript (which may be overloaded on its
/// result type, or generic in it), a tuple (whose labels the operator may supply), a closure, a literal of another
/// kind, an implicit member (`.zero`) or an implicit conversion leaves the change to the schema's compilation, as does
/// every type whose name the top level would read otherwise or not at all (a generic parameter, a type or typealias
/// declared inside a function or another type).
struct OperatorOracle {

    /// The program as the oracle compiles it: `#sourceLocation` lines blanked, so that the compiler's lines are the
    /// text's own, and each line's place in the Markdown file (`file` nil) or an included file.
    struct PlainProgram {
        var text: String
        var lines: [Substring]
        var places: [(file: String?, line: Int)?]

        init(source: String, markdownPath: String) {
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
            var kept: [Substring] = []
            var places: [(file: String?, line: Int)?] = []
            var current: (file: String?, line: Int)? = nil
            for line in lines {
                let trimmed = line.drop { $0 == " " }
                if trimmed.hasPrefix("#sourceLocation(") {
                    current = Self.directive(trimmed, markdownPath: markdownPath)
                    kept.append("")
                    places.append(nil)
                    continue
                }
                kept.append(line)
                places.append(current)
                if let place = current { current = (place.file, place.line + 1) }
            }
            self.lines = kept
            self.places = places
            text = kept.joined(separator: "\n")
        }

        /// The place the line after a `#sourceLocation` directive stands for (nil after `#sourceLocation()`).
        static func directive(_ text: Substring, markdownPath: String) -> (file: String?, line: Int)? {
            guard let fileStart = text.range(of: "file: \""), let lineStart = text.range(of: "\", line: ", options: .backwards),
                  fileStart.upperBound <= lineStart.lowerBound else { return nil }
            let path = String(text[fileStart.upperBound..<lineStart.lowerBound])
                .replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
            guard let line = Int(text[lineStart.upperBound...].prefix { $0.isNumber }) else { return nil }
            return (path == markdownPath ? nil : path, line)
        }

        /// The 1-based character column of byte column `column` on 1-based line `line`.
        func characterColumn(line: Int, byteColumn column: Int) -> Int {
            guard line >= 1, line <= lines.count else { return column }
            var bytes = 0, characters = 1
            for character in lines[line - 1] {
                if bytes + character.utf8.count > column - 1 { break }
                bytes += character.utf8.count
                characters += 1
            }
            return characters
        }
    }

    /// A node of a `-dump-ast` listing: one line `(name attributes…` indented two spaces per level.
    struct Node {
        var line: Int
        var indent: Int
        var name: Substring
        var parent: Int?
        var children: [Int] = []
    }

    /// A `-dump-ast` listing as a tree (the untyped `original_init=` copies of initialisers left out).
    struct Listing {
        var lines: [Substring]
        var nodes: [Node] = []

        /// The names of generic parameters and of types declared below the top level, which a probe at the top
        /// level would read as another type of the same name.
        var shadowingNames: Set<Substring> = []

        init(_ dump: String) {
            lines = dump.split(separator: "\n", omittingEmptySubsequences: false)
            var stack: [Int] = []
            var skippingBelow: Int? = nil
            for (number, line) in lines.enumerated() {
                let indent = line.prefix { $0 == " " }.count
                let rest = line.dropFirst(indent)
                guard rest.first == "(" else { continue }
                if let skip = skippingBelow { if indent > skip { continue } else { skippingBelow = nil } }
                var name = rest.dropFirst().prefix { $0 != " " && $0 != ")" }
                if let equals = name.firstIndex(of: "=") {
                    if name[..<equals] == "original_init" { skippingBelow = indent; continue }
                    name = name[name.index(after: equals)...]
                }
                while let last = stack.last, nodes[last].indent >= indent { stack.removeLast() }
                nodes.append(Node(line: number, indent: indent, name: name, parent: stack.last))
                noteDeclaration(nodes.count - 1)
                if let parent = stack.last { nodes[parent].children.append(nodes.count - 1) }
                stack.append(nodes.count - 1)
            }
        }

        /// Notes a generic parameter list, or a type declared below the top level.
        private mutating func noteDeclaration(_ node: Int) {
            let name = nodes[node].name
            guard name.hasSuffix("_decl") || name == "typealias" else { return }
            let quoted = lines[nodes[node].line].split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map(\.element)
            // `(func_decl … "name(_:)" "<T : P, U>" …`: the first string after the node name is the declared name.
            let declared = quoted.prefix { !$0.contains("=") }
            for generics in declared where generics.hasPrefix("<") {
                let parameters = generics.dropFirst().prefix { $0 != ">" }.components(separatedBy: " where ").first ?? ""
                for parameter in parameters.split(separator: ",") {
                    if let identifier = parameter.split(whereSeparator: { $0 == " " || $0 == ":" }).first { shadowingNames.insert(identifier) }
                }
            }
            if ["struct_decl", "class_decl", "enum_decl", "protocol_decl", "typealias", "associated_type_decl"].contains(String(name)),
               nodes[node].indent > 2, let type = declared.first {
                shadowingNames.insert(type)
            }
        }

        /// Whether a type as the listing writes it names a generic parameter or a type declared below the top level.
        func isShadowed(_ type: String) -> Bool {
            type.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).contains { shadowingNames.contains($0) }
        }

        /// Whether `node` is the function of an operator (`a * b`, `-a`), which the operands' types choose.
        func isOperatorFunction(_ node: Int) -> Bool {
            let operators = ["binary_expr", "prefix_unary_expr", "postfix_unary_expr"]
            guard let parent = nodes[node].parent else { return false }
            if operators.contains(String(nodes[parent].name)) { return true }
            return nodes[parent].name == "dot_syntax_call_expr" && nodes[parent].parent.map { operators.contains(String(nodes[$0].name)) } == true
        }

        func attribute(_ key: String, of node: Int) -> Substring? {
            let line = lines[nodes[node].line]
            guard let start = line.range(of: " \(key)=") else { return nil }
            let rest = line[start.upperBound...]
            if rest.first == "\"" {
                let body = rest.dropFirst()
                return body.firstIndex(of: "\"").map { body[..<$0] }
            }
            if rest.first == "[" { return rest.dropFirst().prefix { $0 != " " && $0 != "]" } }
            return rest.prefix { $0 != " " && $0 != ")" }
        }
        func isImplicit(_ node: Int) -> Bool { lines[nodes[node].line].contains(" implicit ") }

        /// A `path:line:column` attribute (`location`, or the start of `range`) as (line, column).
        func place(_ key: String, of node: Int) -> (line: Int, column: Int)? {
            guard let text = attribute(key, of: node) else { return nil }
            let parts = text.split(separator: ":")
            guard parts.count >= 3, let line = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]) else { return nil }
            return (line, column)
        }

        /// The type written as a node's `type`, without `inout`/`@lvalue`; nil when it is unknown or not nameable.
        func type(of node: Int) -> String? {
            guard var type = attribute("type", of: node).map(String.init) else { return nil }
            for prefix in ["inout ", "@lvalue "] where type.hasPrefix(prefix) { type.removeFirst(prefix.count) }
            guard !type.isEmpty, !type.contains("<null>"), !type.contains("error type"), !type.contains("@") else { return nil }
            return type
        }

        func subtree(_ node: Int) -> [Int] {
            var found: [Int] = [node]
            var index = 0
            while index < found.count { found += nodes[found[index]].children; index += 1 }
            return found
        }

        /// Whether a subtree names a value (a variable or a property, not a function), whose type is its own.
        func namesValue(_ node: Int) -> Bool {
            subtree(node).contains { index in
                ["declref_expr", "member_ref_expr"].contains(String(nodes[index].name)) && !(type(of: index)?.contains("->") ?? true)
            }
        }

        /// The type of the operand `expression` (the node under an `argument`), or nil when it may depend on the
        /// operator around it: anything but values, properties of concrete types and operators on them (a call, a
        /// subscript, a tuple, a closure, an implicit member or conversion), or a number no value beside it types.
        func operandType(_ expression: Int) -> String? {
            guard !isImplicit(expression) || ["load_expr", "inout_expr", "destructure_tuple_expr"].contains(String(nodes[expression].name)) else { return nil }
            for index in subtree(expression) {
                let name = nodes[index].name
                // Only values, stored or computed properties of a concrete type, and operators on them: a call, a
                // subscript or a tuple may resolve to another declaration (an overload on the result type, a generic
                // result, a protocol extension's member, labels taken from the operator) once the operator changes.
                guard OperatorOracle.rigidNodes.contains(String(name)) else { return nil }
                if name == "declref_expr", attribute("type", of: index)?.contains("->") == true, !isOperatorFunction(index) { return nil }
                if name == "member_ref_expr", let declaration = attribute("decl", of: index), declaration.contains("extension.") { return nil }
                // An implicit member (`.zero`, `.identity(3)`): a type the compiler wrote, other than the base of an
                // operator's function (`(dot_syntax_call_expr implicit … (argument_list (argument (type_expr implicit`).
                if name == "type_expr", isImplicit(index) {
                    let up = { (node: Int?) in node.flatMap { nodes[$0].parent } }
                    guard let call = up(up(up(index))), nodes[call].name == "dot_syntax_call_expr", isImplicit(call) else { return nil }
                }
                if OperatorOracle.numberNodes.contains(String(name)), !numberIsFixed(index, within: expression) { return nil }
            }
            guard let type = type(of: expression), !isShadowed(type) else { return nil }
            return type
        }

        /// Whether the number at `literal` has a type fixed by more than the operators around it: it is an operand of
        /// an operator whose other operand names a value (`2 * alpha`).
        func numberIsFixed(_ literal: Int, within root: Int) -> Bool {
            var child = literal
            while child != root, let parent = nodes[child].parent {
                if nodes[parent].name == "binary_expr", let list = nodes[parent].children.first(where: { nodes[$0].name == "argument_list" }) {
                    let others = nodes[list].children.filter { !subtree($0).contains(literal) }
                    if others.contains(where: namesValue) { return true }
                }
                child = parent
            }
            return false
        }

        /// The expressions of the arguments of an operator or subscript node.
        func arguments(of node: Int) -> [Int] {
            guard let list = nodes[node].children.first(where: { nodes[$0].name == "argument_list" }) else { return [] }
            return nodes[list].children.filter { nodes[$0].name == "argument" }.compactMap { nodes[$0].children.first }
        }
    }

    /// The node kinds an operand may hold for its type to be its own whatever operator stands around it.
    static let rigidNodes: Set<String> = ["declref_expr", "member_ref_expr", "load_expr", "paren_expr", "binary_expr", "prefix_unary_expr",
                                          "dot_syntax_call_expr", "argument_list", "argument", "type_expr", "integer_literal_expr",
                                          "float_literal_expr", "inout_expr", "destructure_tuple_expr"]
    /// Number literals, whose type the context chooses.
    static let numberNodes: Set<String> = ["integer_literal_expr", "float_literal_expr"]

    /// One question for the compiler: does `code` type-check with `a` of type `left` (and `b` of type `right`)?
    struct Probe: Hashable {
        var left: String
        var right: String?
        var assigns: Bool
        var code: String
        var declaration: String {
            let first = assigns ? "_ a: inout \(left)" : "_ a: \(left)"
            return "(\(first)\(right.map { ", _ b: \($0)" } ?? "")) { \(code) }"
        }
    }

    /// The probes a listing asks for, each with the mutants it decides, and the unsigned literals' mutants.
    static func probes(listing: Listing, sitesAt: (_ line: Int, _ byteColumn: Int) -> [MutantSite]) -> (probes: [Probe: [Int]], unsigned: [Int]) {
        var probes: [Probe: [Int]] = [:]
        var unsigned: [Int] = []
        for node in listing.nodes.indices {
            switch listing.nodes[node].name {
            case "integer_literal_expr":
                guard let type = listing.type(of: node), type.hasPrefix("UInt"), let place = listing.place("location", of: node) else { continue }
                unsigned += sitesAt(place.line, place.column).filter { $0.mutationOperator == .literal }.map(\.id)
            case "binary_expr":
                let operands = listing.arguments(of: node)
                guard operands.count == 2, let place = listing.place("location", of: node) else { continue }
                let changes = sitesAt(place.line, place.column).filter { [.arithmetic, .compoundAssignment].contains($0.mutationOperator) }
                guard !changes.isEmpty, let left = listing.operandType(operands[0]), let right = listing.operandType(operands[1]) else { continue }
                let assigns = listing.nodes[operands[0]].name == "inout_expr"
                for site in changes {
                    let operation = site.replacement.trimmingCharacters(in: .whitespaces)
                    guard !operation.isEmpty, operation.allSatisfy({ "+-*/=".contains($0) }) else { continue }
                    let probe = Probe(left: left, right: right, assigns: assigns, code: assigns ? "a \(operation) b" : "_ = a \(operation) b")
                    probes[probe, default: []].append(site.id)
                }
            case "subscript_expr":
                // `x[i]` → `x[(i) + 1]`: every index of the subscript is its own element.
                for element in listing.arguments(of: node) {
                    guard let place = listing.place("range", of: element) else { continue }
                    let changes = sitesAt(place.line, place.column).filter { $0.mutationOperator == .index }
                    guard !changes.isEmpty, let type = listing.operandType(element) else { continue }
                    for site in changes {
                        let sign = site.replacement.contains("- 1") ? "-" : "+"
                        probes[Probe(left: type, right: nil, assigns: false, code: "_ = (a) \(sign) 1"), default: []].append(site.id)
                    }
                }
            case "pattern_entry":
                // `let x = e` → `let x = -(e)`: a minus on a value of the declared type (whatever type the minus gives).
                let children = listing.nodes[node].children
                guard !children.isEmpty, let value = children.dropFirst().first(where: { listing.nodes[$0].name != "pattern_named" }),
                      let place = listing.place("range", of: value) else { continue }
                let changes = sitesAt(place.line, place.column).filter { $0.mutationOperator == .negationInsertion }
                // The value's own type (an optional the declaration promotes it to is an implicit conversion: left alone).
                guard !changes.isEmpty, let type = listing.operandType(value), !type.hasPrefix("any "), !type.hasPrefix("some ") else { continue }
                probes[Probe(left: type, right: nil, assigns: false, code: "_ = -a"), default: []] += changes.map(\.id)
            default:
                continue
            }
        }
        return (probes, unsigned)
    }

    /// Compiler messages that say an operator has no candidate for its operands.
    static let notApplicable = ["cannot be applied to", "requires that", "must precede operator argument", "no exact matches in call to",
                                "cannot convert value of type"]
    /// Compiler messages about the syntax of a probe.
    static let syntaxErrors = ["expected ", "consecutive statements", "unterminated", "extraneous", "unexpected "]
    /// Compiler messages that say a probe could not be written (the types are not known at the top level).
    static let unknown = ["cannot find", "undeclared", "is not a member type", "ambiguous", "generic parameter", "not in scope",
                          "is inaccessible", "private", "cannot be used as a type"]

    /// The mutants among `sites` that cannot compile, with the reason, for the program `source` (the file's code as
    /// written, as the verifier generates it). `typeCheck` runs the compiler on a source file with extra arguments
    /// and returns its error output (nil when it could not run).
    static func impossibleMutants(sites: [MutantSite], source: String, markdownPath: String,
                                  typeCheck: (_ source: String, _ arguments: [String]) -> (succeeded: Bool, errors: String, output: String)?) -> [Int: String] {
        let candidates = sites.filter { site -> Bool in
            switch site.mutationOperator {
            case .arithmetic, .compoundAssignment, .index, .negationInsertion: return true
            case .literal: return site.replacement.hasPrefix("(-")
            default: return false
            }
        }
        guard !candidates.isEmpty else { return [:] }
        let program = PlainProgram(source: source, markdownPath: markdownPath)
        guard let dumped = typeCheck(program.text, ["-dump-ast"]), dumped.succeeded else { return [:] }
        var bySite: [String: [MutantSite]] = [:]
        let key = { (file: String?, line: Int, column: Int) in "\(file ?? "")\u{0}\(line)\u{0}\(column)" }
        for site in candidates { bySite[key(site.file, site.line, site.column), default: []].append(site) }
        func sitesAt(_ line: Int, byteColumn: Int) -> [MutantSite] {
            guard line >= 1, line <= program.places.count, let place = program.places[line - 1] else { return [] }
            return bySite[key(place.file, place.line, program.characterColumn(line: line, byteColumn: byteColumn))] ?? []
        }
        let asked = Self.probes(listing: Listing(dumped.output), sitesAt: sitesAt)
        var impossible: [Int: String] = [:]
        for id in asked.unsigned {
            impossible[id] = "compile error: a negative number cannot be stored into an unsigned integer"
        }
        // One probe per line after the program, each a function of its own.
        let probes = asked.probes.keys.sorted { $0.declaration < $1.declaration }
        guard !probes.isEmpty else { return impossible }
        let firstProbeLine = program.lines.count + 2
        let probed = program.text + "\n// Operator probes of the mutation analysis: one per line.\n"
            + probes.enumerated().map { "func _operatorProbe\($0.offset)\($0.element.declaration)" }.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["VERIFY_TRACE_MUTATE"] != nil {
            try? probed.write(toFile: "/tmp/verify-oracle-probes.swift", atomically: true, encoding: .utf8)
        }
        guard let checked = typeCheck(probed, ["-typecheck"]) else { return impossible }
        // The compiler's errors by probe.
        var messages: [Int: [String]] = [:]
        for line in (checked.errors + "\n" + checked.output).split(separator: "\n") {
            guard let range = line.range(of: ": error: ") else { continue }
            let place = line[..<range.lowerBound].split(separator: ":")
            guard place.count >= 3, let number = Int(place[place.count - 2]) else { continue }
            let probe = number - firstProbeLine
            // An error in the program itself: nothing can be concluded.
            guard probe >= 0, probe < probes.count else { return impossible }
            let message = String(line[range.upperBound...])
            // A probe the parser could not read may have spoiled the lines after it: nothing can be concluded.
            if Self.syntaxErrors.contains(where: { message.hasPrefix($0) }) { return impossible }
            messages[probe, default: []].append(message)
        }
        for (probe, errors) in messages {
            guard !errors.contains(where: { error in unknown.contains { error.contains($0) } }),
                  let reason = errors.first(where: { error in notApplicable.contains { error.contains($0) } }) else { continue }
            for id in asked.probes[probes[probe]] ?? [] { impossible[id] = "compile error: " + reason }
        }
        return impossible
    }
}
