import Testing
@testable import Verifier

/// The Markdown converter on its own: mathematics protected, the block and inline subset derivations use.
@Suite("Markdown to HTML: mathematics untouched, derivation Markdown rendered")
struct RenderMarkdownTests {
    func html(_ markdown: String) -> String { MarkdownToHTML().html(markdown) }

    @Test("inline mathematics keeps <, &, _, *, \\ and is only HTML-escaped")
    func inlineMath() {
        let out = html(#"Let $a<b$ and $x_1 * y_2 & z_{n}$ with $\|x\|_2 \le \sqrt{n}\,\|x\|_\infty$."#)
        #expect(out.contains(#"<span class="math inline">a&lt;b</span>"#))
        #expect(out.contains(#"<span class="math inline">x_1 * y_2 &amp; z_{n}</span>"#))
        #expect(out.contains(#"<span class="math inline">\|x\|_2 \le \sqrt{n}\,\|x\|_\infty</span>"#))
        #expect(!out.contains("<em>"))
    }

    @Test("display mathematics spans lines; lines starting with + - # or 1. inside it stay mathematics")
    func displayMath() {
        let markdown = """
        The loss
        $$
        L = a
        + b_1
        - c_2
        # d
        1. e
        $$
        continues the paragraph.
        """
        let out = html(markdown)
        #expect(out == "<p>The loss\n<span class=\"math display\">\nL = a\n+ b_1\n- c_2\n# d\n1. e\n</span>\ncontinues the paragraph.</p>\n")
    }

    @Test("a dollar amount, an escaped dollar and a dollar before a space are not mathematics")
    func dollarsThatAreNotMath() {
        #expect(html("It costs $5 and $10.") == "<p>It costs $5 and $10.</p>\n")
        #expect(html(#"Write \$x\$ for a dollar."#) == "<p>Write $x$ for a dollar.</p>\n")
        #expect(html("a $ b $ c") == "<p>a $ b $ c</p>\n")
    }

    @Test("code spans protect their content; emphasis, strong and links work around mathematics")
    func inlineFormatting() {
        #expect(html("`a_b * $c$` and **bold $x_1$** and *it* and snake_case_name")
            == "<p><code>a_b * $c$</code> and <strong>bold <span class=\"math inline\">x_1</span></strong> and <em>it</em> and snake_case_name</p>\n")
        #expect(html("[the paper](https://arxiv.org/abs/2310.13220) <https://example.org>")
            == "<p><a href=\"https://arxiv.org/abs/2310.13220\">the paper</a> <a href=\"https://example.org\">https://example.org</a></p>\n")
        #expect(html("<script>alert(1)</script> & &amp; [RECONSTRUCTED]")
            == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &amp; [RECONSTRUCTED]</p>\n")
    }

    @Test("headings get ids; lists nest; ordered lists keep their start; continuation lines join the item")
    func blocks() {
        let markdown = """
        ## 1. Kernel form

        - first
          - nested $x_i$
        - second

        3. three
           continued
        4. four
        """
        let out = html(markdown)
        #expect(out.contains(#"<h2 id="1-kernel-form">1. Kernel form<a class="anchor""#))
        #expect(out.contains("<ul>\n<li>first\n<ul>\n<li>nested <span class=\"math inline\">x_i</span></li>\n</ul></li>\n<li>second</li>\n</ul>\n"))
        #expect(out.contains("<ol start=\"3\">\n<li>three\ncontinued</li>\n<li>four</li>\n</ol>\n"))
    }

    @Test("tables: alignment, and | inside mathematics or code does not split a cell")
    func tables() {
        let markdown = """
        | id | statement |
        |:---|---:|
        | `a|b` | $|x| \\le 1$ |
        """
        let out = html(markdown)
        #expect(out.contains(#"<th style="text-align: left">id</th><th style="text-align: right">statement</th>"#))
        #expect(out.contains(#"<td style="text-align: left"><code>a|b</code></td><td style="text-align: right"><span class="math inline">|x| \le 1</span></td>"#))
    }

    @Test("block quotes, rules, fenced code and HTML comments")
    func otherBlocks() {
        let markdown = """
        > quoted *text*

        ---

        ~~~text
        a < b
        ~~~

        <!-- a comment
        over lines -->

        ```math
        e^{i\\pi} + 1 = 0
        ```
        """
        let out = html(markdown)
        #expect(out.contains("<blockquote>\n<p>quoted <em>text</em></p>\n</blockquote>\n<hr>\n"))
        #expect(out.contains("<pre class=\"code\"><code class=\"language-text\">a &lt; b</code></pre>"))
        #expect(!out.contains("comment"))
        #expect(out.contains(#"<div class="math display">e^{i\pi} + 1 = 0</div>"#))
    }

    @Test("top-level blocks carry their source lines (claims are placed by them)")
    func lineRanges() {
        let blocks = MarkdownToHTML().blocks("# T\n\nText\non two lines.\n\n```swift\nlet x = 1\n```\n")
        #expect(blocks.map(\.lines) == [1...1, 3...4, 6...8])
        #expect(blocks.map(\.kind) == ["heading", "paragraph", "code"])
    }
}
