import DerivationKit
import Foundation
import Synchronization
import Testing
@testable import Verifier

/// A fresh folder under the temporary directory.
func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verify-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// Runs the built `verify` executable (next to the test bundle) and returns its outcome.
func runVerify(_ arguments: [String], timeout: Double = 120) throws -> ProcessOutcome {
    let executable = try Toolchain.locate().binDirectory.appendingPathComponent("verify").path
    return try runProcess(executable, arguments, timeout: timeout)
}

@Suite("Nothing lost, nothing crashes")
struct NothingLostTests {
    @Test("a missing path and an unreadable file are failed files in every report; the others are still verified")
    func badInputsAreReported() throws {
        let folder = try temporaryFolder()
        let binary = folder.appendingPathComponent("latin1.md")
        try Data([0x23, 0x20, 0xE9, 0xFF, 0x0A]).write(to: binary)
        let (paths, pathErrors) = Verifier.findFiles(["/no/such/file.md", Paths.fixture("correct.md"), binary.path])
        #expect(pathErrors.map(\.file) == ["/no/such/file.md"])
        let (scanned, scanErrors) = Verifier.scanAll(paths)
        #expect(scanErrors.map(\.file) == [binary.path])
        var options = VerificationOptions()
        options.useCache = false
        let run = Verifier(toolchain: try Toolchain.locate(), options: options).verify(scanned, inputErrors: pathErrors + scanErrors)
        #expect(run.files.count == 3)
        #expect(run.files.first { $0.file.hasSuffix("correct.md") }?.passed == true)
        let failed = run.files.filter { !$0.passed }
        #expect(Set(failed.map(\.file)) == ["/no/such/file.md", binary.path])
        let kinds = failed.map { $0.problems.first?.kind }
        #expect(kinds == [.input, .input])
        #expect(!run.passed)
        #expect(HumanReporter(sources: scanned).render(run).split(separator: "\n").last?.hasPrefix("FAILED") == true)
        let json = try jsonReport(run)
        #expect(json.contains("\"passed\" : false") && json.contains("no such file or folder") && json.contains("not UTF-8"))
        let junit = junitReport(run)
        #expect(junit.contains("name=\"/no/such/file.md\"") && junit.contains("<error"))
    }

    @Test("verify exits 2 on a missing path, yet verifies the other file and says FAILED")
    func missingPathAmongOthers() throws {
        let outcome = try runVerify(["/no/such/file.md", Paths.fixture("correct.md"), "--no-cache"])
        #expect(outcome.status == 2)
        #expect(outcome.output.contains("PASS \(Paths.fixture("correct.md"))"))
        #expect(outcome.output.split(separator: "\n").last?.hasPrefix("FAILED") == true)
        #expect(outcome.errors.contains("/no/such/file.md: no such file or folder"))
    }

    @Test("usage errors exit 2 with one line, and no option value crashes verify", arguments: [
        ["--timeout", "nan"], ["--timeout", "inf"], ["--precision", "4611686018427387904"], ["--precision", "12"],
        ["--jobs", "0"], ["--bogus"], [String](),
    ])
    func usageErrors(arguments: [String]) throws {
        let outcome = try runVerify((arguments.isEmpty ? [] : [Paths.fixture("correct.md")]) + arguments)
        #expect(outcome.status == 2, "\(arguments): \(outcome.errors)")
        #expect(!outcome.wasSignalled)
        #expect(outcome.errors.hasPrefix("Error: "))
    }

    @Test("two verifiers compiling the same new file at once both pass")
    func concurrentVerifiers() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("race.md")
        try "# Race \(UUID().uuidString)\n\n```swift\nclaimEqual(\"one third\", number(1, over: 3) * 3, number(1))\n```\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let verifier = Verifier(toolchain: try Toolchain.locate(), options: VerificationOptions())
        let scanned = try Verifier.scan(file.path)
        let reports = Mutex<[FileReport]>([])
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            let report = verifier.verify(scanned)
            reports.withLock { $0.append(report) }
        }
        let all = reports.withLock { $0 }
        #expect(all.count == 3)
        #expect(all.filter { !$0.passed }.isEmpty, "\(all.flatMap(\.problems))")
    }

    @Test("SIGTERM to verify ends its derivation programs too")
    func terminationEndsChildren() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("spin.md")
        try "# Spin \(UUID().uuidString)\n\n```swift\nvar total = number(0)\nwhile !total.isNaN { total += 1 }\nclaimEqual(\"never\", total, total)\n```\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let executable = try Toolchain.locate().binDirectory.appendingPathComponent("verify").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [file.path, "--timeout", "120"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the derivation program is running as a child of verify.
        var children: [Int32] = []
        for _ in 0..<240 where children.isEmpty {
            Thread.sleep(forTimeInterval: 0.25)
            children = childProcesses(of: process.processIdentifier).filter { commandLine($0).contains("--precision") }
        }
        try #require(!children.isEmpty, "the derivation program never started")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.5)
        for child in children { #expect(!isAlive(child), "derivation program \(child) outlived verify") }
    }

    @Test("the cache key includes the verifier's own code")
    func cacheKeyHasVerifier() throws {
        var options = VerificationOptions()
        options.useCache = true
        var toolchain = try Toolchain.locate()
        let scanned = try Verifier.scan(Paths.fixture("correct.md"))
        _ = Verifier(toolchain: toolchain, options: options).verify(scanned)
        let again = Verifier(toolchain: toolchain, options: options).verify(scanned).cached
        #expect(again)
        toolchain.verifierFingerprint = "a verifier with another verdict rule \(UUID())"
        let changed = Verifier(toolchain: toolchain, options: options).verify(scanned).cached
        #expect(!changed)
    }

    @Test("compile errors map to lines when the file name holds ':' and '\"'")
    func oddFileNames() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("we:ird \"name\".md")
        try "# Odd\n\n```swift\nlet y = undefinedName + 1\n```\n".write(to: file, atomically: true, encoding: .utf8)
        var options = VerificationOptions()
        options.useCache = false
        let report = Verifier(toolchain: try Toolchain.locate(), options: options).verify(try Verifier.scan(file.path))
        let problem = try #require(report.problems.first)
        #expect(problem.kind == .compile && problem.line == 4)
        #expect(problem.message.contains("undefinedName"))
    }

    @Test("a compiler crash is one clear line at the Markdown line it names")
    func compilerCrash() {
        let text = """
            Stack dump:
            0.\tProgram arguments: /usr/bin/swift-frontend -frontend -c main.swift
            1.\tWhile type-checking statement at [derivations/x.md:17:1 - line:17:40]
            error: compile command failed due to signal 11 (use -v to see invocation)
            """
        let outcome = ProcessOutcome(status: 1, wasSignalled: false, timedOut: false, output: "", errors: text, seconds: 1)
        let problems = CompilerDiagnostics(displayPath: "derivations/x.md").problems(outcome)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 17)
        #expect(problems.first?.message.hasPrefix("the Swift compiler crashed on this file") == true)
        #expect(problems.first?.message.contains("\n") == false)
    }
}

/// The processes whose parent is `parent` (from /proc).
func childProcesses(of parent: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 2 && Int32(fields[1]) == parent
    }
}

/// The command line of process `pid`, arguments separated by spaces.
func commandLine(_ pid: Int32) -> String {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
    return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
}

/// Whether process `pid` exists and is not a zombie.
func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
    return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
}
