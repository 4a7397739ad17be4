import Foundation
import Verifier

/// The dependency graph of a derivation's steps, read from its code: a reviewer's map of the proof.
///
/// - Nodes: one per run block (```` ```swift ````), grouped by the section heading above it. Setup blocks are
///   shared helpers hidden from the page and no-run blocks never run, so neither is a node.
/// - Edges: from the block that defines a name (a top-level `let`, `var`, `func`, `struct`, `class`, `enum`,
///   `protocol` or `typealias` of the block, tuple patterns included) to every later block that uses it (an
///   identifier that is not a member after `.`); a name defined again points at its latest definition.
/// - Authors add or drop edges with a comment in the using block: `// depends on: a, b` adds an edge from
///   the blocks that define `a` and `b`; `// independent of: c` drops the edge that the use of `c` implies.
/// - Status: a node fails when one of its claims does not pass (an undecided claim makes it undecided) or a
///   file problem points into it; it passes when all its claims pass; otherwise it has no claims. Every node
///   downstream of a failing node (reachable along edges) is marked affected.
public struct Blueprint: Sendable, Equatable {
    public enum Status: String, Sendable {
        case passes, fails, undecided
        case noClaims = "no-claims"
    }

    public struct Node: Sendable, Equatable {
        /// The line of the block's opening fence; the page's anchor is `block-<line>`.
        public var line: Int
        /// The section heading above the block ("" before the first heading) and its anchor.
        public var section: String
        public var sectionAnchor: String?
        /// The names the block defines at its top level.
        public var defines: [String]
        public var claims: Int
        public var claimsPassed: Int
        public var status: Status
        /// Whether the block depends, directly or not, on a failing block.
        public var affected: Bool
        /// Mutants of the block's code that no claim caught (`verify --mutate`).
        public var missedMutants: Int = 0
    }

    public struct Edge: Sendable, Hashable {
        public var from: Int
        public var to: Int
        /// The names that carry the dependency (for an explicit edge, the names it was given with).
        public var names: [String]
        /// Whether the edge was written by the author (`// depends on:`) rather than inferred.
        public var explicit: Bool
    }

    public var nodes: [Node]
    public var edges: [Edge]

    /// The graph of `source`'s run blocks, coloured by `report`'s claims and problems. `sections` are the
    /// headings of the page, with their line, text and anchor; `missedMutantLines` the lines of missed mutants.
    public init(source: ScannedFile, report: FileReport, sections: [(line: Int, title: String, anchor: String?)] = [],
                missedMutantLines: [Int] = []) {
        let blocks = source.blocks.filter { $0.role == .run }
        var nodes: [Node] = []
        var edges: [Edge] = []
        var definer: [String: Int] = [:]
        for block in blocks {
            let lines = block.firstContentLine..<max(block.firstContentLine, block.closingLine)
            let claims = report.claims.filter { lines.contains($0.line) }
            let problem = report.problems.contains { problem in problem.line.map { lines.contains($0) } ?? false }
            let status: Status
            if problem || claims.contains(where: { !$0.passed && $0.verdict != .undecided }) { status = .fails }
            else if claims.contains(where: { $0.verdict == .undecided }) { status = .undecided }
            else if claims.isEmpty { status = .noClaims }
            else { status = .passes }
            let section = sections.last { $0.line < block.fenceLine }
            let code = SwiftNames(block.code)
            // Inferred edges, grouped by the defining block; then the author's additions and removals.
            var incoming: [Int: [String]] = [:]
            for name in code.uses where !code.independentOf.contains(name) {
                if let from = definer[name] { incoming[from, default: []].append(name) }
            }
            var explicit: [Int: [String]] = [:]
            for name in code.dependsOn {
                if let from = definer[name], incoming[from] == nil { explicit[from, default: []].append(name) }
            }
            edges += incoming.map { Edge(from: $0.key, to: block.fenceLine, names: $0.value.sorted(), explicit: false) }
            edges += explicit.map { Edge(from: $0.key, to: block.fenceLine, names: $0.value, explicit: true) }
            for name in code.defines { definer[name] = block.fenceLine }
            nodes.append(Node(line: block.fenceLine, section: section?.title ?? "", sectionAnchor: section?.anchor,
                              defines: code.defines, claims: claims.count, claimsPassed: claims.filter(\.passed).count,
                              status: status, affected: false,
                              missedMutants: missedMutantLines.filter { lines.contains($0) }.count))
        }
        edges.sort { ($0.from, $0.to) < ($1.from, $1.to) }
        // Everything downstream of a failing node is affected.
        var affected = Set<Int>()
        var queue = nodes.filter { $0.status == .fails }.map(\.line)
        while let line = queue.popLast() {
            for edge in edges where edge.from == line && !affected.contains(edge.to) {
                affected.insert(edge.to)
                queue.append(edge.to)
            }
        }
        for index in nodes.indices where affected.contains(nodes[index].line) { nodes[index].affected = true }
        self.nodes = nodes
        self.edges = edges
    }

    /// Counts for summaries: steps, and how many pass, fail, are undecided, have no claims, are affected.
    public var summary: String {
        var parts = ["\(nodes.count) step\(nodes.count == 1 ? "" : "s")", "\(edges.count) dependenc\(edges.count == 1 ? "y" : "ies")"]
        let counts: [(Status, String)] = [(.passes, "pass"), (.fails, "fail"), (.undecided, "undecided"), (.noClaims, "without claims")]
        for (status, name) in counts {
            let count = nodes.filter { $0.status == status }.count
            if count > 0 { parts.append("\(count) \(name)") }
        }
        let affected = nodes.filter { $0.affected && $0.status != .fails }.count
        if affected > 0 { parts.append("\(affected) affected by a failure") }
        let missed = nodes.reduce(0) { $0 + $1.missedMutants }
        if missed > 0 { parts.append("\(missed) missed mutant\(missed == 1 ? "" : "s")") }
        return parts.joined(separator: " · ")
    }

    // MARK: Drawing

    /// The file next to a page that holds its small graph for the index.
    public static func thumbnailName(forPage fileName: String) -> String {
        (fileName.hasSuffix(".html") ? String(fileName.dropLast(5)) : fileName) + ".blueprint.svg"
    }

    /// The graph in Graphviz's DOT language: sections as clusters, nodes filled by status, links to the blocks.
    public func dot(compact: Bool = false) -> String {
        let fills: [Status: (fill: String, line: String)] = [
            .passes: ("#dafbe1", "#1a7f37"), .fails: ("#ffebe9", "#cf222e"),
            .undecided: ("#fff8c5", "#9a6700"), .noClaims: ("#f6f8fa", "#818b98"),
        ]
        var dot = """
        digraph blueprint {
          graph [rankdir=\(compact ? "LR" : "TB"), bgcolor="transparent", fontname="DejaVu Sans", fontsize=10, nodesep=0.2, ranksep=0.3, newrank=true, compound=true];
          node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=\(compact ? 9 : 10), penwidth=1.3, margin="0.1,0.04", height=0.3];
          edge [color="#8c959f", arrowsize=0.6, penwidth=1.0];

        """
        var sectionOrder: [String] = []
        for node in nodes where !sectionOrder.contains(node.section) { sectionOrder.append(node.section) }
        for (index, section) in sectionOrder.enumerated() {
            let members = nodes.filter { $0.section == section }
            let anchor = members.first?.sectionAnchor.map { "#" + $0 } ?? ""
            if !compact && !section.isEmpty {
                dot += "  subgraph cluster_\(index) {\n    label=\(quoted(shortened(section, 48))); labeljust=l; style=\"rounded\"; color=\"#d8dee4\"; fontcolor=\"#59636e\"; fontsize=9;"
                if !anchor.isEmpty { dot += " href=\(quoted(anchor)); target=\"_top\";" }
                dot += "\n"
            }
            for node in members {
                let colours = fills[node.status]!
                var label = compact ? "\(node.line)" : "line \(node.line)"
                if !compact {
                    if !node.defines.isEmpty { label += "\n" + shortened(node.defines.prefix(3).joined(separator: ", ") + (node.defines.count > 3 ? ", …" : ""), 34) }
                    switch node.status {
                    case .noClaims: label += "\nno claims"
                    case .passes: label += "\n\(node.claims) claim\(node.claims == 1 ? "" : "s") ✓"
                    case .fails, .undecided: label += "\n\(node.claims - node.claimsPassed) of \(node.claims) not passing"
                    }
                    if node.missedMutants > 0 { label += "\n⚠ \(node.missedMutants) missed mutant\(node.missedMutants == 1 ? "" : "s")" }
                }
                var attributes = "label=\(quoted(label)), fillcolor=\"\(colours.fill)\", color=\"\(colours.line)\", href=\"#block-\(node.line)\", target=\"_top\""
                attributes += ", tooltip=\(quoted(tooltip(node))), id=\"bp-\(node.line)\", class=\"\(node.status.rawValue)\(node.affected ? " affected" : "")\""
                if node.affected && node.status != .fails { attributes += ", style=\"rounded,filled,dashed\", penwidth=2, color=\"#cf222e\"" }
                if node.missedMutants > 0 { attributes += ", peripheries=2" }
                dot += "    b\(node.line) [\(attributes)];\n"
            }
            if !compact && !section.isEmpty { dot += "  }\n" }
        }
        // Document order top to bottom (left to right when compact): an invisible chain of consecutive blocks.
        for (first, second) in zip(nodes, nodes.dropFirst()) {
            dot += "  b\(first.line) -> b\(second.line) [style=invis, weight=4];\n"
        }
        let affected = Set(nodes.filter { $0.affected || $0.status == .fails }.map(\.line))
        for edge in drawnEdges {
            var attributes = ["tooltip=\(quoted(edge.names.joined(separator: ", ")))"]
            if edge.explicit { attributes.append("style=dashed") }
            if affected.contains(edge.from) && affected.contains(edge.to) { attributes.append("color=\"#cf222e\", penwidth=1.6") }
            dot += "  b\(edge.from) -> b\(edge.to) [\(attributes.joined(separator: ", "))];\n"
        }
        return dot + "}\n"
    }

    /// The edges drawn: those not implied by a longer path (the transitive reduction). Reachability, and so
    /// everything downstream of a failure, is the same as with every edge.
    public var drawnEdges: [Edge] {
        var successors: [Int: [Int]] = [:]
        for edge in edges { successors[edge.from, default: []].append(edge.to) }
        func reachable(from start: Int, avoiding direct: Int) -> Set<Int> {
            var seen = Set<Int>()
            var stack = (successors[start] ?? []).filter { $0 != direct }
            while let next = stack.popLast() {
                guard seen.insert(next).inserted else { continue }
                stack += successors[next] ?? []
            }
            return seen
        }
        return edges.filter { edge in !reachable(from: edge.from, avoiding: edge.to).contains(edge.to) }
    }

    func tooltip(_ node: Node) -> String {
        var text = "Block at line \(node.line)"
        if !node.defines.isEmpty { text += "; defines " + node.defines.joined(separator: ", ") }
        text += "; \(node.claimsPassed) of \(node.claims) claims pass"
        if node.affected { text += "; depends on a failing step" }
        if node.missedMutants > 0 { text += "; \(node.missedMutants) mutant\(node.missedMutants == 1 ? "" : "s") of its code no claim caught" }
        return text
    }

    func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    func shortened(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// The graph laid out by Graphviz as an SVG element (XML prolog and comments removed, sized to its box),
    /// or nil when `dot` is not installed. Throws when `dot` fails.
    public func svg(compact: Bool = false) throws -> String? {
        guard let dot = Graphviz.executable else { return nil }
        return try Graphviz.svg(self.dot(compact: compact), executable: dot)
    }

    /// The graph as an HTML list, for when Graphviz is missing.
    public func listHTML() -> String {
        var html = "<ol class=\"blueprint-list\">\n"
        for node in nodes {
            let sources = edges.filter { $0.to == node.line }.map { "<a href=\"#block-\($0.from)\">line \($0.from)</a>" }
            html += "<li class=\"\(node.status.rawValue)\(node.affected ? " affected" : "")\"><a href=\"#block-\(node.line)\">line \(node.line)</a>"
            if !node.section.isEmpty { html += " <span class=\"section\">\(htmlEscape(node.section))</span>" }
            html += " — \(node.claimsPassed) of \(node.claims) claims pass"
            if !sources.isEmpty { html += "; uses " + sources.joined(separator: ", ") }
            html += "</li>\n"
        }
        return html + "</ol>\n"
    }
}

/// Graphviz's `dot`, run as a child process.
public enum Graphviz {
    /// The `dot` on `PATH`, or nil.
    public static var executable: String? {
        locate(searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
    }

    /// The first executable `dot` in the folders of `searchPath` (separated by `:`), or nil.
    public static func locate(searchPath: String) -> String? {
        searchPath.split(separator: ":").map { "\($0)/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The message `--render` prints when `dot` is missing.
    public static let missingNote = "Graphviz `dot` was not found on PATH: the blueprint graphs are shown as lists. Install it with `apt-get install -y graphviz` and render again."

    /// `dot -Tsvg` of `source`, as an inline SVG element.
    static func svg(_ source: String, executable: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(source.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RenderError("dot failed (status \(process.terminationStatus)): \(String(decoding: message, as: UTF8.self))")
        }
        var svg = String(decoding: data, as: UTF8.self)
        if let start = svg.range(of: "<svg") { svg = String(svg[start.lowerBound...]) }
        while let comment = svg.range(of: "<!--"), let end = svg[comment.upperBound...].range(of: "-->") {
            svg.removeSubrange(comment.lowerBound..<end.upperBound)
        }
        // Scale to the column: the viewBox keeps the proportions; width and height in points become a maximum.
        if let width = svg.range(of: #"width="[0-9.]+pt""#, options: .regularExpression),
           let height = svg.range(of: #" height="[0-9.]+pt""#, options: .regularExpression), width.upperBound <= height.lowerBound {
            let points = svg[width].dropFirst(7).dropLast(3)
            svg.replaceSubrange(width.lowerBound..<height.upperBound, with: "class=\"blueprint-graph\" style=\"max-width: \(points)pt\"")
        }
        return svg.replacingOccurrences(of: "\n\n", with: "\n")
    }
}

/// The names a block of Swift defines at its top level and the names it uses, from its tokens.
struct SwiftNames {
    var defines: [String] = []
    var uses: Set<String> = []
    var dependsOn: [String] = []
    var independentOf: Set<String> = []

    static let declarations: Set<String> = ["func", "struct", "class", "enum", "protocol", "typealias", "actor"]

    init(_ code: String) {
        let tokens = SwiftLexer.tokens(code).filter { $0.kind != .whitespace }
        var depth = 0
        var index = 0
        func add(_ name: String) { if !defines.contains(name) { defines.append(name) } }
        while index < tokens.count {
            let token = tokens[index]
            switch token.kind {
            case .comment:
                for (prefix, adding) in [("depends on:", true), ("independent of:", false)] {
                    guard let range = token.text.range(of: prefix, options: .caseInsensitive) else { continue }
                    let names = token.text[range.upperBound...].split(whereSeparator: { ",; \t\n*/".contains($0) }).map(String.init)
                    if adding { dependsOn += names } else { independentOf.formUnion(names) }
                }
            case .punctuation, .operator:
                if "{([".contains(token.text) { depth += 1 }
                if "})]".contains(token.text) { depth = max(0, depth - 1) }
            case .identifier:
                // Not a member after `.`, not the name a declaration introduces.
                let previous = index > 0 ? tokens[index - 1] : nil
                let declared = previous?.kind == .keyword && (SwiftNames.declarations.contains(previous!.text) || previous!.text == "let" || previous!.text == "var")
                if previous?.text != "." && !declared { uses.insert(token.text) }
            case .keyword where depth == 0 && (token.text == "let" || token.text == "var"):
                // `let a = …, b = …`, `let (a, b) = …`, `var x: T`: the names bound by the patterns, not the
                // identifiers of types and initial values.
                var cursor = index + 1
                var level = 0
                var inPattern = true
                var inType = false
                var expectName = true
                while cursor < tokens.count, tokens[cursor].kind != .newline || level > 0 {
                    let next = tokens[cursor]
                    if "([{".contains(next.text) { level += 1; if inPattern && !inType && next.text == "(" { expectName = true } }
                    else if ")]}".contains(next.text) { level -= 1; if level < 0 { break } }
                    else if next.text == "," && level == 0 { inPattern = true; inType = false; expectName = true }
                    else if next.text == "," && inPattern && !inType { expectName = true }
                    else if next.text == "=" && level == 0 { inPattern = false; inType = false }
                    else if inPattern && !inType && next.kind == .identifier && expectName { add(next.text); expectName = false }
                    else if inPattern && next.text == ":" { inType = true; expectName = false }
                    cursor += 1
                }
            case .keyword where depth == 0 && SwiftNames.declarations.contains(token.text):
                if index + 1 < tokens.count, tokens[index + 1].kind == .identifier { add(tokens[index + 1].text) }
            default:
                break
            }
            index += 1
        }
        uses.subtract(defines)
    }
}
