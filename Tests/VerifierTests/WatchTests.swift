import Foundation
import Synchronization
import Testing
@testable import Verifier

@Suite("--watch")
struct WatchTests {
    /// Waits until `captured` has written `count` pieces of standard output containing `text` (at most a minute).
    func waitFor(_ text: String, count: Int, in captured: CapturedConsole) -> Date? {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let found = captured.writes.withLock { writes in writes.filter { !$0.isError && $0.text.contains(text) } }
            if found.count >= count { return found[count - 1].at }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    @Test("a saved Markdown file, and a saved file it includes, are verified again; unchanged files are not")
    func reverifiesOnSave() throws {
        let root = try folder(with: [
            "shared/base.swift": "let base = number(2)\n",
            "w.md": "# Watched\n\n```swift\n{{#include shared/base.swift}}\nclaimEqual(\"base + base\", base + base, number(4))\n```\n",
        ])
        let markdown = root.appendingPathComponent("w.md")
        var request = VerifyRequest(paths: [markdown.path])
        request.options.useCache = false
        let captured = CapturedConsole()
        let stop = Mutex(false)
        let finished = Mutex<VerifyExitStatus?>(nil)
        let request_ = request
        Thread.detachNewThread {
            let status = try? Watcher(request: request_).run(console: captured.console(), stop: { stop.withLock { $0 } })
            finished.withLock { $0 = status }
        }
        defer { stop.withLock { $0 = true } }
        #expect(waitFor("watching 1 file", count: 1, in: captured) != nil)
        #expect(waitFor("PASS \(markdown.path)", count: 1, in: captured) != nil)

        // 2 + 2 = 5 is refuted once the Markdown is saved.
        try "# Watched\n\n```swift\n{{#include shared/base.swift}}\nclaimEqual(\"base + base\", base + base, number(5))\n```\n"
            .write(to: markdown, atomically: true, encoding: .utf8)
        let saved = Date()
        let failed = try #require(waitFor("FAIL \(markdown.path)", count: 1, in: captured))
        print("verify --watch: result \(String(format: "%.2f", failed.timeIntervalSince(saved))) s after the save")

        // 5/2 + 5/2 = 5 holds once the included file is saved.
        try "let base = number(5, over: 2)\n".write(to: root.appendingPathComponent("shared/base.swift"), atomically: true, encoding: .utf8)
        #expect(waitFor("PASS \(markdown.path)", count: 2, in: captured) != nil)
        // Nothing changed since: no third result.
        Thread.sleep(forTimeInterval: 1)
        #expect(captured.output.components(separatedBy: "\(markdown.path)  1 claim").count == 4)
        stop.withLock { $0 = true }
        let deadline = Date().addingTimeInterval(30)
        while finished.withLock({ $0 }) == nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(finished.withLock { $0 } == .passed)
    }
}
