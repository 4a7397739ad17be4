import DerivationKit
import Foundation
import Testing
@testable import Verifier

/// A folder with `files` (relative path → text) written into it.
func folder(with files: [String: String]) throws -> URL {
    let root = try temporaryFolder()
    for (path, text) in files {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return root
}

/// Verifies `path` (cache on or off).
func verifyPath(_ path: String, useCache: Bool = false) throws -> FileReport {
    var options = VerificationOptions()
    options.useCache = useCache
    return Verifier(toolchain: try Toolchain.locate(), options: options).verify(try Verifier.scan(path))
}

@Suite("Shared code: {{#include PATH}}")
struct IncludeTests {
    static let helpers = """
        /// The sum 1 + 2 + … + n, by a loop.
        func triangular(_ n: Int) -> BigFloat {
            var sum = number(0)
            for k in 1...n { sum = sum + number(k) }
            return sum
        }

        func entry(_ xs: [Int], _ i: Int) -> Int {
            precondition(i < xs.count, "index \\(i) is past the end")
            return xs[i]
        }

        """

    /// A derivation in `chapter/` using the helpers in `shared/` with `claims` after the include line (line 4).
    static func derivation(_ claims: String) -> String {
        "# Uses the helpers\n\n```swift\n{{#include ../shared/helpers.swift}}\n\(claims)\n```\n"
    }

    @Test("two derivations use one helper file; its code runs in the block's scope")
    func shared() throws {
        let root = try folder(with: [
            "shared/helpers.swift": Self.helpers,
            "chapter/one.md": Self.derivation("claimEqual(\"T(10) = 55\", triangular(10), number(55))"),
            "chapter/two.md": Self.derivation("claimEqual(\"T(100) = 5050\", triangular(100), number(5050))\nclaimRefuted(\"T(4) = 11\", triangular(4), number(11))"),
        ])
        for name in ["one", "two"] {
            let report = try verifyPath(root.appendingPathComponent("chapter/\(name).md").path)
            #expect(report.passed, "\(report.problems) \(report.claims.map(\.detail))")
            #expect(report.claims.first?.line == 5)
        }
    }

    @Test("a compile error in the included file is reported at its own file and line")
    func compileError() throws {
        let root = try folder(with: [
            "shared/helpers.swift": Self.helpers.replacingOccurrences(of: "var sum = number(0)", with: "var sum = numbr(0)"),
            "chapter/one.md": Self.derivation("claimEqual(\"T(10) = 55\", triangular(10), number(55))"),
        ])
        let report = try verifyPath(root.appendingPathComponent("chapter/one.md").path)
        let problem = try #require(report.problems.first)
        #expect(problem.kind == .compile)
        #expect(problem.file == root.appendingPathComponent("shared/helpers.swift").path)
        #expect(problem.line == 3)
        #expect(problem.message.contains("numbr"))
        let text = HumanReporter(sources: []).fileText(report)
        #expect(text.contains("✗ \(root.path)/shared/helpers.swift:3: compile: compile error: "))
        #expect(text.contains("> 3    |     var sum = numbr(0)"))
    }

    @Test("a trap inside the included file points at its line there")
    func trap() throws {
        let root = try folder(with: [
            "shared/helpers.swift": Self.helpers,
            "chapter/one.md": Self.derivation("claimEqual(\"T(1) = 1\", triangular(1), number(1))\nprint(entry([1, 2], 5))"),
        ])
        let report = try verifyPath(root.appendingPathComponent("chapter/one.md").path)
        let problem = try #require(report.problems.first)
        #expect(problem.kind == .runtime)
        #expect(problem.file == root.appendingPathComponent("shared/helpers.swift").path)
        #expect(problem.line == 9)
        #expect(problem.message.contains("Precondition failed: index 5 is past the end"))
    }

    @Test("an error thrown by a library call inside the included file points at that call there")
    func thrownInInclude() throws {
        let helpers = Self.helpers + "func parsed(_ text: String) throws -> BigFloat {\n    try BigFloat(text)\n}\n"
        let root = try folder(with: [
            "shared/helpers.swift": helpers,
            "chapter/one.md": Self.derivation("claimEqual(\"T(1) = 1\", triangular(1), number(1))\nlet x = try parsed(\"1,5\")\nprint(x)"),
        ])
        let report = try verifyPath(root.appendingPathComponent("chapter/one.md").path)
        let problem = try #require(report.problems.first)
        let callLine = try #require(helpers.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("try BigFloat") }) + 1
        #expect(problem.kind == .runtime)
        #expect(problem.file == root.appendingPathComponent("shared/helpers.swift").path)
        #expect(problem.line == callLine)
        #expect(problem.message.contains("cannot read \"1,5\" as a number"))
    }

    @Test("the cache keys on the included file's content")
    func cacheKey() throws {
        let root = try folder(with: [
            "shared/helpers.swift": Self.helpers,
            "chapter/one.md": Self.derivation("claimEqual(\"T(10) = 55\", triangular(10), number(55))"),
        ])
        let path = root.appendingPathComponent("chapter/one.md").path
        #expect(try verifyPath(path, useCache: true).passed)
        #expect(try verifyPath(path, useCache: true).cached)
        // An off-by-one in the helper (the loop starts at 0 + 1 twice) must be seen although the Markdown is unchanged.
        try Self.helpers.replacingOccurrences(of: "var sum = number(0)", with: "var sum = number(1)")
            .write(to: root.appendingPathComponent("shared/helpers.swift"), atomically: true, encoding: .utf8)
        let changed = try verifyPath(path, useCache: true)
        #expect(!changed.cached)
        #expect(changed.claims.first?.verdict == .refuted)
    }

    @Test("a missing include is an input error at its line; nested includes and claim names in includes are rejected")
    func badIncludes() throws {
        let root = try folder(with: [
            "chapter/missing.md": "# Missing\n\n```swift\nlet a = 1\n{{#include ../shared/nowhere.swift}}\n```\n",
            "shared/nested.swift": "let x = 1\n{{#include other.swift}}\n",
            "chapter/nested.md": "# Nested\n\n```swift\n{{#include ../shared/nested.swift}}\n```\n",
            "shared/sneaky.swift": "func claimEqual(_ label: String, _ a: BigFloat, _ b: BigFloat) {}\n",
            "chapter/sneaky.md": "# Sneaky\n\n```swift\n{{#include ../shared/sneaky.swift}}\nclaimEqual(\"1 = 2\", number(1), number(2))\n```\n",
        ])
        #expect(throws: InputError(file: root.appendingPathComponent("chapter/missing.md").path, line: 5,
                                   message: "cannot read the included file \(root.path)/shared/nowhere.swift: {{#include PATH}} takes a path relative to the Markdown file's folder")) {
            try Verifier.scan(root.appendingPathComponent("chapter/missing.md").path)
        }
        do {
            _ = try Verifier.scan(root.appendingPathComponent("chapter/nested.md").path)
            Issue.record("a nested include was accepted")
        } catch let error as InputError {
            #expect(error.file == root.appendingPathComponent("shared/nested.swift").path && error.line == 2)
        }
        let sneaky = try verifyPath(root.appendingPathComponent("chapter/sneaky.md").path)
        #expect(!sneaky.passed)
        #expect(sneaky.problems.first?.file == root.appendingPathComponent("shared/sneaky.swift").path)
        #expect(sneaky.problems.first?.line == 1)
        #expect(sneaky.problems.first?.message.contains("claimEqual") == true)
    }
}

@Suite("Compile errors keep the compiler's notes and fix-its")
struct CompilerNoteTests {
    @Test("a wrong argument label gets its fix-it, a missing argument its note and fix-it, each said once")
    func notesAndFixIts() throws {
        let root = try folder(with: ["e.md": """
            # Compile errors

            ```swift
            struct S { func go(count: Int) -> Int { count } }
            let s = S()
            let r = s.go(cont: 2)
            func h(_ a: Int, _ b: Int) -> Int { a + b }
            let z = h(1)
            ```

            """])
        let path = root.appendingPathComponent("e.md").path
        let report = try verifyPath(path)
        let byLine = Dictionary(uniqueKeysWithValues: report.problems.compactMap { problem in problem.line.map { ($0, problem.message) } })
        #expect(byLine.count == 2)
        let label = try #require(byLine[6])
        #expect(label.hasPrefix("compile error: incorrect argument label in call (have 'cont:', expected 'count:')"))
        #expect(label.contains("\n  fix-it: replace `cont` with `count`"))
        let missing = try #require(byLine[8])
        #expect(missing.contains("\n  note: 'h' declared here (\(path):7)"))
        #expect(missing.contains("\n  fix-it: insert `, <#Int#>`"))
        #expect(missing.components(separatedBy: "note: 'h' declared here").count == 2)
    }
}
