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
    }

    @Test("an unclosed fence is an error at its opening line")
    func unclosed() {
        #expect(throws: InputError(file: "doc.md", line: 3, message: "unclosed code fence ````: close it with a line of at least 4 backticks")) {
            try scanner.blocks(in: "text\n\n````swift\nlet a = 1\n```\n")
        }
    }

    @Test("unknown options and a no-run without a reason are errors naming the line")
    func badOptions() {
        #expect(throws: InputError.self) { try scanner.blocks(in: "```swift setpu\n```\n") }
        #expect(throws: InputError.self) { try scanner.blocks(in: "\n```swift no-run\n```\n") }
        do {
            _ = try scanner.blocks(in: "\n```swift no-run\n```\n")
        } catch let error as InputError {
            #expect(error.line == 2)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("CRLF line endings")
    func crlf() throws {
        let blocks = try scanner.blocks(in: "```swift\r\nlet a = 1\r\n```\r\n")
        #expect(blocks.count == 1)
        #expect(blocks[0].lines == ["let a = 1"])
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
