import Testing
@testable import Verifier
@testable import Pages

/// The Markdown renderer on its own (cmark-gfm): mathematics protected, derivation Markdown rendered.
@Suite("Markdown to HTML: mathematics untouched, derivation Markdown rendered")
struct RenderMarkdownTests {
    func html(_ markdown: String) -> String { MarkdownRenderer().html(markdown) }

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
        #expect(html("<kbd>x</kbd> & &amp; [RECONSTRUCTED]")
            == "<p><kbd>x</kbd> &amp; &amp; [RECONSTRUCTED]</p>\n")
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
        #expect(out.contains("<ul>\n<li>first\n<ul>\n<li>nested <span class=\"math inline\">x_i</span></li>\n</ul>\n</li>\n<li>second</li>\n</ul>\n"))
        #expect(out.contains("<ol start=\"3\">\n<li>three\ncontinued</li>\n<li>four</li>\n</ol>\n"))
    }

    @Test("tables: alignment, and | inside mathematics (or escaped in code, as GitHub asks) does not split a cell")
    func tables() {
        let markdown = """
        | id | statement |
        |:---|---:|
        | `a\\|b` | $|x| \\le 1$, $\\|x\\|_2$ |
        """
        let out = html(markdown)
        #expect(out.contains("<th style=\"text-align: left\">id</th>\n<th style=\"text-align: right\">statement</th>"))
        #expect(out.contains(#"<td style="text-align: left"><code>a|b</code></td>"#))
        #expect(out.contains(#"<td style="text-align: right"><span class="math inline">|x| \le 1</span>, <span class="math inline">\|x\|_2</span></td>"#))
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
        #expect(out.contains("<blockquote>\n<p>quoted <em>text</em></p>\n</blockquote>\n<hr />\n"))
        #expect(out.contains("<pre><code class=\"language-text\">a &lt; b\n</code></pre>"))
        #expect(out.contains("<!-- a comment\nover lines -->"))
        #expect(out.contains(#"<div class="math display">e^{i\pi} + 1 = 0</div>"#))
    }

    @Test("what the earlier converter printed as text: reference links, footnotes, <details>, hard line breaks")
    func fullCommonMark() {
        let markdown = """
        See [the paper][p] and a note.[^n]
        Two trailing spaces  \nbreak the line, and so does a backslash\\
        here.

        <details>
        <summary>Proof of $a<b$</summary>

        Since $a_1 * b_2$ holds, ~~nothing~~ *everything* follows.

        </details>

        [p]: https://arxiv.org/abs/2310.13220 "the paper"
        [^n]: The note, with $x^2$.
        """
        let out = html(markdown)
        #expect(out.contains(#"<a href="https://arxiv.org/abs/2310.13220" title="the paper">the paper</a>"#))
        #expect(out.contains("<br />\nbreak the line") && out.contains("backslash<br />\nhere."))
        #expect(out.contains("<details>\n<summary>Proof of $a<b$</summary>"), "an HTML block is kept whole, mathematics included")
        #expect(out.contains(#"<p>Since <span class="math inline">a_1 * b_2</span> holds, <del>nothing</del> <em>everything</em> follows.</p>"#))
        #expect(out.contains("class=\"footnotes\"") && out.contains(#"The note, with <span class="math inline">x^2</span>."#))
        #expect(out.contains("href=\"#fn-n\""))
    }

    @Test("mathematics in block quotes and list items, over several lines, and next to code spans")
    func mathInContainers() {
        let out = html("> $$\n> a_1\n> + b_2\n> $$\n\n- item $x_{*}$ and `$not math$`\n  $y *z*$\n")
        #expect(out.contains("<blockquote>\n<p><span class=\"math display\">\na_1\n+ b_2\n</span></p>\n</blockquote>"))
        #expect(out.contains(#"item <span class="math inline">x_{*}</span> and <code>$not math$</code>"#))
        #expect(out.contains(#"<span class="math inline">y *z*</span>"#))
    }

    @Test("top-level blocks carry their source lines (claims are placed by them)")
    func lineRanges() {
        let blocks = MarkdownRenderer().blocks("# T\n\nText\non two lines.\n\n```swift\nlet x = 1\n```\n")
        #expect(blocks.map(\.lines) == [1...1, 3...4, 6...8])
        #expect(blocks.map(\.kind) == ["heading", "paragraph", "code"])
        // Also when the code renderer replaces the block.
        let rendered = MarkdownRenderer(codeRenderer: { "<figure>\($0.fenceLine)</figure>\n" }).blocks("a\n\n```swift\nlet x = 1\n```\n")
        #expect(rendered.map(\.lines) == [1...1, 3...5] && rendered.map(\.kind) == ["paragraph", "code"])
        #expect(rendered.last?.html == "<figure>3</figure>\n")
    }
}

