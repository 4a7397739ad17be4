import Foundation
import Testing
@testable import Verifier

@Suite("CommonMark fence scanning")
struct FenceScannerTests {
    let scanner = FenceScanner(file: "doc.md")

    @Test("backtick and tilde fences, with language and roles")
    func basicFences() throws {
        let text = """
        Prose.
        ```swift
        let a = 1
        ```
        ~~~python
        print(1)
        ~~~
        ```swift setup
        let b = 2
        ```
        ```swift no-run: shown only
        x²
        ```
        """
        let blocks = try scanner.blocks(in: text)
        #expect(blocks.map(\.fenceLine) == [2, 5, 8, 11])
        #expect(blocks.map(\.language) == ["swift", "python", "swift", "swift"])
        #expect(blocks.map(\.role) == [.run, .ignored, .setup, .noRun(reason: "shown only")])
        #expect(blocks[0].lines == ["let a = 1"])
        #expect(blocks[3].closingLine == 13)
    }

    @Test("a tilde fence is a Swift block too, and only tildes close it")
    func tildes() throws {
        let blocks = try scanner.blocks(in: "~~~swift\nlet t = 1\n```\n~~~~\n")
        #expect(blocks.count == 1)
        #expect(blocks[0].role == .run)
        #expect(blocks[0].lines == ["let t = 1", "```"])
        #expect(blocks[0].closingLine == 4)
    }

    @Test("a closing fence must use the same character and be at least as long")
    func closingRules() throws {
        let text = """
        ````swift
        ```
        ~~~~
        let inner = 1
        `````
        after
        """
        let blocks = try scanner.blocks(in: text)
        #expect(blocks.count == 1)
        #expect(blocks[0].lines == ["```", "~~~~", "let inner = 1"])
        #expect(blocks[0].closingLine == 5)
    }

    @Test("a fence inside another fence is content")
    func nestedFence() throws {
        let text = "~~~markdown\n```swift\nlet x = 1\n```\n~~~\n"
        let blocks = try scanner.blocks(in: text)
        #expect(blocks.count == 1)
        #expect(blocks[0].language == "markdown")
        #expect(blocks[0].lines == ["```swift", "let x = 1", "```"])
    }

    @Test("up to three spaces of indentation open a fence and are removed from content; four do not")
    func indentation() throws {
        let text = "   ```swift\n   let a = 1\n     let b = 2\n  ```\n    ```swift\n    not a fence\n"
        let blocks = try scanner.blocks(in: text)
        #expect(blocks.count == 1)
        #expect(blocks[0].lines == ["let a = 1", "  let b = 2"])
    }

    @Test("an indented code block is not a fenced block, even when it shows a fence")
    func indentedCodeBlock() throws {
        let text = """
        Text.

            ```swift
            let a = 1
            ```
        """
        #expect(try scanner.blocks(in: text).isEmpty)
    }

    @Test("a backtick fence whose info string contains a backtick is not a fence; a tilde fence may")
    func backticksInInfo() throws {
        let notFence = try scanner.blocks(in: "``` swift `x`\ncode\n")
        #expect(notFence.isEmpty)
        let tilde = try scanner.blocks(in: "~~~ text `x`\ncode\n~~~\n")
        #expect(tilde.count == 1)
    }

    @Test("a closing fence may be followed by spaces but not by text")
    func closingWithTrailingText() throws {
        let blocks = try scanner.blocks(in: "```swift\n``` not closing\nlet a = 1\n```   \n")
        #expect(blocks.count == 1)
        #expect(blocks[0].lines == ["``` not closing", "let a = 1"])
        #expect(blocks[0].closingLine == 4)
    }

    @Test("a fence in a list item is found, its content without the item's indentation")
    func listItem() throws {
        let text = """
        Intro.

        - First item.

          ```swift
          let a = 1
            let b = 2
          ```
        - Second item.
        """
        let blocks = try scanner.blocks(in: text)
        #expect(blocks.count == 1)
        #expect(blocks[0].fenceLine == 5)
        #expect(blocks[0].firstContentLine == 6)
        #expect(blocks[0].closingLine == 8)
        #expect(blocks[0].role == .run)
        #expect(blocks[0].lines == ["let a = 1", "  let b = 2"])
    }

    @Test("a fence in a nested list item is found")
    func nestedListItem() throws {
        let text = """
        1. Outer.
           - Inner:
             ```swift setup
             let c = 3
             ```

        after
        """
        let blocks = try scanner.blocks(in: text)
        #expect(blocks.count == 1)
        #expect(blocks[0].fenceLine == 3)
        #expect(blocks[0].closingLine == 5)
        #expect(blocks[0].role == .setup)
        #expect(blocks[0].lines == ["let c = 3"])
    }

    @Test("a fence in a block quote is found, its content without the > markers")
    func blockQuote() throws {
        let text = """
        > Quoted:
        >
        > ```swift
        > let d = 4
        >     let e = 5
        > ```

        > - ~~~swift
        >   let f = 6
        >   ~~~
        """
        let blocks = try scanner.blocks(in: text)
        #expect(blocks.map(\.fenceLine) == [3, 8])
        #expect(blocks.map(\.closingLine) == [6, 10])
        #expect(blocks[0].lines == ["let d = 4", "    let e = 5"])
        #expect(blocks[1].lines == ["let f = 6"])
    }

    @Test("a fence inside an HTML comment is not a block")
    func htmlComment() throws {
        let text = """
        <!--
        ```swift
        let hidden = 1
        ```
        -->

        ```swift
        let shown = 2
        ```
        """
        let blocks = try scanner.blocks(in: text)
        #expect(blocks.map(\.fenceLine) == [7])
        #expect(blocks[0].lines == ["let shown = 2"])
    }

    @Test("options may follow the language after a tab")
    func tabSeparatedOptions() throws {
        let blocks = try scanner.blocks(in: "```swift\tsetup\nlet a = 1\n```\n\n```swift \t no-run:\tnot Swift\nx²\n```\n")
        #expect(blocks.map(\.language) == ["swift", "swift"])
        #expect(blocks.map(\.role) == [.setup, .noRun(reason: "not Swift")])
        #expect(blocks.map(\.fenceLine) == [1, 5])
    }

    @Test("the language is case-insensitive")
    func capitalisedLanguage() throws {
        let blocks = try scanner.blocks(in: "```Swift\nlet a = 1\n```\n\n```SWIFT setup\nlet b = 2\n```\n")
        #expect(blocks.map(\.role) == [.run, .setup])
        #expect(blocks.map(\.language) == ["Swift", "SWIFT"])
    }

    @Test("an unclosed fence is an error at its opening line")
    func unclosed() {
        #expect(throws: InputError(file: "doc.md", line: 3, message: "unclosed code fence ````: close it with a line of at least 4 backticks")) {
            try scanner.blocks(in: "text\n\n````swift\nlet a = 1\n```\n")
        }
        #expect(throws: InputError(file: "doc.md", line: 1, message: "unclosed code fence ```: close it with a line of at least 3 backticks")) {
            try scanner.blocks(in: "```swift\nlet a = 1\n    ```\n")
        }
        #expect(throws: InputError(file: "doc.md", line: 2, message: "unclosed code fence ~~~: close it with a line of at least 3 tildes")) {
            try scanner.blocks(in: "\n~~~swift")
        }
    }

    @Test("a fence left open when its list item or block quote ends is unclosed, even if a fence follows")
    func unclosedInContainer() {
        let inItem = """
        - Item:
          ```swift
          let a = 1
        ```
        """
        #expect(throws: InputError(file: "doc.md", line: 2, message: "unclosed code fence ```: close it with a line of at least 3 backticks")) {
            try scanner.blocks(in: inItem)
        }
        let itemEndsAtProse = """
        Text.

        - Item:

          ```swift
          let a = 1

        Back at the top.
        """
        #expect(throws: InputError(file: "doc.md", line: 5, message: "unclosed code fence ```: close it with a line of at least 3 backticks")) {
            try scanner.blocks(in: itemEndsAtProse)
        }
        let inQuote = """
        > ```swift
        > let a = 1
        ```
        """
        #expect(throws: InputError(file: "doc.md", line: 1, message: "unclosed code fence ```: close it with a line of at least 3 backticks")) {
            try scanner.blocks(in: inQuote)
        }
        #expect(throws: InputError(file: "doc.md", line: 1, message: "unclosed code fence ```: close it with a line of at least 3 backticks")) {
            try scanner.blocks(in: "- ```swift\n  let a = 1\n")
        }
    }

    @Test("unknown options and a no-run without a reason are errors naming the line")
    func badOptions() {
        #expect(throws: InputError(file: "doc.md", line: 1, message: "unknown block option \"setpu\": write ```swift, ```swift setup, or ```swift no-run: REASON")) {
            try scanner.blocks(in: "```swift setpu\n```\n")
        }
        #expect(throws: InputError(file: "doc.md", line: 2, message: "a no-run block needs a reason: write ```swift no-run: why it is not run")) {
            try scanner.blocks(in: "\n```swift no-run\n```\n")
        }
        #expect(throws: InputError(file: "doc.md", line: 3, message: "unknown block option \"setup\textra\": write ```swift, ```swift setup, or ```swift no-run: REASON")) {
            try scanner.blocks(in: "- item\n\n  ```Swift setup\textra\n  ```\n")
        }
    }

    @Test("an empty block has no content lines")
    func emptyBlock() throws {
        let blocks = try scanner.blocks(in: "Text.\n\n```swift\n```\n")
        #expect(blocks.count == 1)
        #expect(blocks[0].fenceLine == 3)
        #expect(blocks[0].closingLine == 4)
        #expect(blocks[0].lines.isEmpty)
        #expect(blocks[0].code == "")
    }

    @Test("CRLF line endings")
    func crlf() throws {
        let blocks = try scanner.blocks(in: "```swift\r\nlet a = 1\r\n\r\nlet b = 2\r\n```\r\n\r\n- item\r\n\r\n  ```swift\r\n  let c = 3\r\n  ```\r\n")
        #expect(blocks.map(\.fenceLine) == [1, 9])
        #expect(blocks.map(\.closingLine) == [5, 11])
        #expect(blocks[0].lines == ["let a = 1", "", "let b = 2"])
        #expect(blocks[1].lines == ["let c = 3"])
        #expect(throws: InputError.self) { try scanner.blocks(in: "- ```swift\r\n  let a = 1\r\n```\r\n") }
    }

    @Test("a byte-order mark, a NUL byte and a lone CR do not break scanning")
    func oddInput() throws {
        let bom = try scanner.blocks(in: "\u{FEFF}```swift\nlet a = 1\n```\n")
        #expect(bom.map(\.fenceLine) == [1])
        #expect(bom.first?.lines == ["let a = 1"])
        let nul = try scanner.blocks(in: "```swift\nlet a = \u{0}1\n```\n")
        #expect(nul.count == 1)
        #expect(nul.first?.lines == ["let a = \u{FFFD}1"])
        let loneCR = try scanner.blocks(in: "```swift\rlet a = 1\r```\r")
        #expect(loneCR.map(\.closingLine) == [3])
        #expect(try scanner.blocks(in: "").isEmpty)
        #expect(try scanner.blocks(in: "\u{0}").isEmpty)
    }

    /// The Markdown files of the repository: every derivation and every test fixture.
    static let markdownFiles: [URL] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var files: [URL] = []
        for folder in ["derivations", "Tests/VerifierTests/Fixtures"] {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                // The adversarial fixtures include files that are input errors on purpose.
                if url.pathExtension == "md" && !url.path.contains("/adversarial/typo-") { files.append(url) }
            }
        }
        return files.sorted { $0.path < $1.path }
    }()

    /// The opening lines of the fences of `text`, found the simple way: lines starting with ``` or ~~~ at the
    /// left margin, each closed by the next line that is only a run of the same character at least as long.
    /// Nil when a fence is left open. This is all the repository's own files use.
    static func topLevelFenceLines(_ text: String) -> [Int]? {
        var openings: [Int] = []
        var open: (character: Character, length: Int)? = nil
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            let line = line.hasSuffix("\r") ? String(line.dropLast()) : line
            guard let first = line.first, first == "`" || first == "~" else { continue }
            let run = line.prefix { $0 == first }.count
            guard run >= 3 else { continue }
            if let fence = open {
                if first == fence.character, run >= fence.length, line.dropFirst(run).allSatisfy({ $0 == " " }) { open = nil }
            } else {
                openings.append(index + 1)
                open = (first, run)
            }
        }
        return open == nil ? openings : nil
    }

    @Test("the repository's own Markdown files: the same blocks as the simple top-level scan")
    func repositoryFiles() throws {
        #expect(Self.markdownFiles.count >= 14)
        var total = 0
        for file in Self.markdownFiles {
            let text = try String(contentsOf: file, encoding: .utf8)
            if let expected = Self.topLevelFenceLines(text) {
                let blocks = try scanner.blocks(in: text)
                #expect(blocks.map(\.fenceLine) == expected, "\(file.lastPathComponent)")
                total += blocks.count
            } else {
                #expect(file.lastPathComponent == "unclosed-fence.md")
                #expect(throws: InputError.self) { try scanner.blocks(in: text) }
            }
        }
        // 60 blocks in derivations/ (10 + 15 + 16 + 19) and 18 in the fixtures when this test was written.
        #expect(total >= 78)
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-4 test vectors")
    func vectors() {
        #expect(SHA256.hex(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(of: String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
