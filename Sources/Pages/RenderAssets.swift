import Foundation
import Verifier

/// The files that rendered pages load besides themselves: the style sheet, and KaTeX copied from the
/// Debian package `libjs-katex` (so the pages typeset mathematics offline, with no CDN).
public enum RenderAssets {
    /// Where `libjs-katex` installs KaTeX.
    public static let debianKaTeXDirectory = "/usr/share/javascript/katex"

    /// The KaTeX folder to copy from: `VERIFY_KATEX_DIR` when set, else Debian's.
    public static var katexSourceDirectory: String {
        ProcessInfo.processInfo.environment["VERIFY_KATEX_DIR"] ?? debianKaTeXDirectory
    }

    /// Copies `katex.min.js`, `katex.min.css`, the WOFF2 fonts and the copyright file into `folder/katex/`.
    ///
    /// Only the WOFF2 fonts are copied (about 0.3 MB instead of 1.2 MB for all three formats): every browser
    /// that runs KaTeX 0.16 reads WOFF2, and the style sheet lists it first, so the other formats are never
    /// fetched. Symbolic links (Debian's `katex.min.js` and `fonts/` are links) are followed. When KaTeX is not
    /// installed but `folder/katex/` already holds a copy, the copy is kept.
    ///
    /// - Returns: the KaTeX version, read from `katex.min.js` (nil when it cannot be read).
    @discardableResult
    public static func installKaTeX(into folder: URL, from source: String = katexSourceDirectory) throws -> String? {
        let manager = FileManager.default
        let destination = folder.appendingPathComponent("katex")
        let script = URL(fileURLWithPath: source).appendingPathComponent("katex.min.js")
        guard let scriptData = manager.contents(atPath: script.path) else {
            let existing = destination.appendingPathComponent("katex.min.js")
            if let data = manager.contents(atPath: existing.path) { return katexVersion(data) }
            throw RenderError("KaTeX is not installed (no \(script.path)): install it with `apt-get install -y libjs-katex`, or set VERIFY_KATEX_DIR to a folder holding katex.min.js, katex.min.css and fonts/")
        }
        try manager.createDirectory(at: destination.appendingPathComponent("fonts"), withIntermediateDirectories: true)
        try write(scriptData, to: destination.appendingPathComponent("katex.min.js"))
        let sourceURL = URL(fileURLWithPath: source)
        guard let css = manager.contents(atPath: sourceURL.appendingPathComponent("katex.min.css").path) else {
            throw RenderError("\(source)/katex.min.css is missing: reinstall libjs-katex")
        }
        try write(css, to: destination.appendingPathComponent("katex.min.css"))
        let fonts = sourceURL.appendingPathComponent("fonts").resolvingSymlinksInPath()
        let names = (try? manager.contentsOfDirectory(atPath: fonts.path)) ?? []
        let woff2 = names.filter { $0.hasSuffix(".woff2") }.sorted()
        guard !woff2.isEmpty else { throw RenderError("no KaTeX fonts in \(fonts.path): install fonts-katex (a dependency of libjs-katex)") }
        for name in woff2 {
            guard let data = manager.contents(atPath: fonts.appendingPathComponent(name).path) else { continue }
            try write(data, to: destination.appendingPathComponent("fonts/\(name)"))
        }
        let copyright = sourceURL.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("doc/libjs-katex/copyright")
        if let data = manager.contents(atPath: copyright.path) ?? manager.contents(atPath: "/usr/share/doc/libjs-katex/copyright") {
            try write(data, to: destination.appendingPathComponent("COPYRIGHT"))
        }
        return katexVersion(scriptData)
    }

    /// The version string inside KaTeX's script (`version:"0.16.4"`).
    static func katexVersion(_ script: Data) -> String? {
        let text = String(decoding: script.prefix(400_000), as: UTF8.self)
        guard let range = text.range(of: "version:\"") else { return nil }
        let version = text[range.upperBound...].prefix { $0 != "\"" }
        return version.count < 20 ? String(version) : nil
    }

    /// Writes `data` unless the file already holds it.
    static func write(_ data: Data, to url: URL) throws {
        if FileManager.default.contents(atPath: url.path) == data { return }
        try data.write(to: url)
    }

    /// The script at the end of every page: typesets each `.math` element with KaTeX. The TeX is the
    /// element's text (the page holds it HTML-escaped); errors are shown in place, in red, with the source.
    static let mathScript = """
    <script src="katex/katex.min.js"></script>
    <script>
    (function () {
      if (typeof katex === "undefined") { document.documentElement.classList.add("no-katex"); return; }
      document.querySelectorAll(".math").forEach(function (element) {
        var tex = element.textContent;
        try {
          katex.render(tex, element, { displayMode: element.classList.contains("display"), throwOnError: false, strict: "ignore" });
          element.setAttribute("data-tex", tex);
        } catch (error) {
          element.classList.add("math-error");
          element.title = String(error);
        }
      });
    })();
    </script>
    """

    /// The shared style sheet, `style.css`.
    static let styleSheet = """
    :root {
      --text: #1f2328; --muted: #59636e; --faint: #818b98; --rule: #d8dee4; --paper: #ffffff; --tint: #f6f8fa;
      --accent: #0b5cad;
      --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9;
      --warn: #9a6700; --warn-bg: #fff8c5; --known: #6639ba; --known-bg: #fbefff;
      --serif: "Charter", "Bitstream Charter", "Iowan Old Style", "Palatino Linotype", "Palatino", "Georgia", "Cambria", "DejaVu Serif", serif;
      --sans: system-ui, -apple-system, "Segoe UI", "Helvetica Neue", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
      --mono: ui-monospace, "SFMono-Regular", "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
    }
    * { box-sizing: border-box; }
    html { background: var(--paper); color: var(--text); }
    body { margin: 0; font-family: var(--serif); font-size: 18px; line-height: 1.6; -webkit-text-size-adjust: 100%; }
    main, .topbar-inner, footer { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem; }
    .wide main, .wide .topbar-inner, .wide footer { max-width: 56rem; }
    a { color: var(--accent); text-decoration-thickness: 0.06em; text-underline-offset: 0.15em; }
    .topbar { border-bottom: 1px solid var(--rule); background: var(--tint); font-family: var(--sans); font-size: 0.85rem; }
    .topbar-inner { display: flex; justify-content: space-between; gap: 1rem; padding-top: 0.55rem; padding-bottom: 0.55rem; color: var(--muted); }
    .topbar a { text-decoration: none; font-weight: 600; }
    h1, h2, h3, h4, h5, h6 { font-family: var(--sans); line-height: 1.25; margin: 2em 0 0.6em; font-weight: 650; letter-spacing: -0.01em; }
    h1 { font-size: 2rem; margin-top: 1.4em; letter-spacing: -0.02em; }
    h2 { font-size: 1.45rem; padding-bottom: 0.25em; border-bottom: 1px solid var(--rule); }
    h3 { font-size: 1.2rem; }
    h4, h5, h6 { font-size: 1rem; }
    .anchor { visibility: hidden; margin-left: 0.35em; color: var(--faint); text-decoration: none; font-weight: 400; }
    h1:hover .anchor, h2:hover .anchor, h3:hover .anchor, h4:hover .anchor { visibility: visible; }
    p, ul, ol, blockquote, .table-wrap, figure, details { margin: 0 0 1.1em; }
    ul, ol { padding-left: 1.6em; }
    li { margin: 0.25em 0; }
    li > p { margin: 0.3em 0; }
    blockquote { padding: 0.1em 1em; border-left: 4px solid var(--rule); color: var(--muted); }
    hr { border: 0; border-top: 1px solid var(--rule); margin: 2em 0; }
    img { max-width: 100%; }
    code, pre, .mono { font-family: var(--mono); font-size: 0.84em; }
    :not(pre) > code { background: var(--tint); border: 1px solid #eaeef2; border-radius: 4px; padding: 0.05em 0.3em; }
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; font-family: var(--sans); font-size: 0.86rem; line-height: 1.45; }
    td code { white-space: nowrap; }
    th, td { border: 1px solid var(--rule); padding: 0.35em 0.6em; vertical-align: top; }
    th { background: var(--tint); font-family: var(--sans); font-weight: 600; text-align: left; }
    tbody tr:nth-child(even) { background: #fbfcfd; }
    .math.display { display: block; overflow-x: auto; overflow-y: hidden; margin: 0.9em 0; }
    .katex { font-size: 1.08em; }
    .katex-display { margin: 0; padding: 0.15em 0; }
    .no-katex .math { font-family: var(--mono); font-size: 0.84em; color: var(--muted); }
    .math-error { color: var(--fail); font-family: var(--mono); }

    /* Code blocks */
    figure.code, details.code { border: 1px solid var(--rule); border-radius: 8px; background: var(--tint); overflow: hidden; }
    figure.code figcaption, details.code summary { font-family: var(--sans); font-size: 0.78rem; color: var(--muted);
      padding: 0.4em 0.9em; border-bottom: 1px solid var(--rule); background: #eef1f4; display: flex; gap: 0.6em; align-items: baseline; flex-wrap: wrap; }
    details.code:not([open]) summary { border-bottom: 0; }
    details.code summary { cursor: pointer; list-style: none; }
    details.code summary::-webkit-details-marker { display: none; }
    details.code summary::before { content: "▸"; color: var(--faint); }
    details.code[open] summary::before { content: "▾"; }
    .code pre, pre.code { margin: 0; padding: 0.75em 0; overflow-x: auto; line-height: 1.5; font-size: 0.82rem; background: var(--tint); }
    .code pre code { font-size: 1em; }
    pre.code { border: 1px solid var(--rule); border-radius: 8px; padding: 0.75em 1em; margin-bottom: 1.1em; }
    .code pre code { display: block; min-width: max-content; }
    .line { display: block; padding: 0 1em 0 0; border-left: 3px solid transparent; }
    .line::before { content: attr(data-line); display: inline-block; width: 2.6em; margin-right: 1em; padding-right: 0.4em; text-align: right;
      color: #a4adb8; user-select: none; -webkit-user-select: none; }
    .line.claim-at { background: rgba(26, 127, 55, 0.07); border-left-color: var(--pass); }
    .line.claim-at.fails { background: rgba(207, 34, 46, 0.08); border-left-color: var(--fail); }
    .line.claim-at.undecided { background: rgba(154, 103, 0, 0.08); border-left-color: var(--warn); }
    .line.claim-at.known { background: rgba(102, 57, 186, 0.06); border-left-color: var(--known); }
    .tag { font-family: var(--sans); font-size: 0.72rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em;
      border-radius: 999px; padding: 0.05em 0.6em; background: #dde3ea; color: #3d4752; }
    .tag.run { background: #d6e6fb; color: #0b4a8f; }
    .tag.no-run { background: var(--warn-bg); color: var(--warn); }
    .tag.setup { background: #e6e8ec; color: var(--muted); }
    .c { color: #6e7781; font-style: italic; } .s { color: #0a3069; } .n { color: #0550ae; } .k { color: #cf222e; }
    .a { color: #8250df; } .t { color: #953800; } .f { color: #116329; font-weight: 700; } .p { color: #8250df; }

    /* Claims */
    .claims { margin: -0.4em 0 1.3em; display: flex; flex-direction: column; gap: 0.45em; font-family: var(--sans); }
    .claim { border: 1px solid var(--rule); border-left: 4px solid var(--pass); border-radius: 6px; padding: 0.45em 0.8em; font-size: 0.84rem; line-height: 1.45; background: #fff; }
    .claim-head { display: flex; gap: 0.6em; align-items: baseline; }
    .claim-label { font-weight: 550; overflow-wrap: anywhere; }
    .claim-meta { display: flex; flex-wrap: wrap; gap: 0.25em 1.1em; color: var(--muted); font-size: 0.92em; margin-top: 0.15em; }
    .claim-meta .id { font-family: var(--mono); font-size: 0.92em; color: var(--faint); text-decoration: none; }
    .claim-meta .id:hover { text-decoration: underline; }
    .badge { font-family: var(--sans); font-size: 0.74rem; font-weight: 700; border-radius: 999px; padding: 0.08em 0.65em; white-space: nowrap;
      text-transform: uppercase; letter-spacing: 0.04em; }
    .badge.agrees, .badge.proved, .badge.passed { background: var(--pass-bg); color: var(--pass); }
    .badge.refuted, .badge.error, .badge.failed { background: var(--fail-bg); color: var(--fail); }
    .badge.undecided { background: var(--warn-bg); color: var(--warn); }
    .badge.known { background: var(--known-bg); color: var(--known); }
    .claim.fails { border-color: #f3b2b0; border-left-color: var(--fail); background: #fffafa; box-shadow: 0 1px 3px rgba(207, 34, 46, 0.12); }
    .claim.undecided { border-color: #eed58c; border-left-color: var(--warn); background: #fffdf2; }
    .claim.known { border-left-color: var(--known); }
    .claim-detail { margin: 0.35em 0 0.2em; color: var(--text); }
    .claim.fails .claim-detail { color: #82071e; font-weight: 550; }
    table.values { margin: 0.4em 0 0.2em; font-size: 0.95em; width: 100%; }
    table.values td code, table.values td { white-space: normal; }
    table.values th { width: 9em; white-space: nowrap; }
    table.values td { font-family: var(--mono); font-size: 0.9em; overflow-wrap: anywhere; }
    .problem { font-family: var(--sans); border: 1px solid #f3b2b0; border-left: 4px solid var(--fail); border-radius: 6px; background: var(--fail-bg);
      padding: 0.5em 0.9em; margin: 0 0 1.2em; font-size: 0.86rem; color: #82071e; }
    .problem pre { white-space: pre-wrap; margin: 0.4em 0 0; font-size: 0.9em; }

    /* Page summary */
    .summary { font-family: var(--sans); border: 1px solid var(--rule); border-radius: 10px; margin: 0 0 2em; overflow: hidden; font-size: 0.86rem; }
    .summary .verdict { display: flex; align-items: center; gap: 0.7em; padding: 0.7em 1em; font-size: 1.05rem; font-weight: 600; }
    .summary.passed .verdict { background: var(--pass-bg); color: #0f5323; }
    .summary.failed .verdict { background: var(--fail-bg); color: #82071e; }
    .summary .verdict .icon { font-size: 1.25rem; }
    .summary dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3em 1.2em; margin: 0; padding: 0.8em 1em 0.9em; }
    .summary dt { color: var(--muted); }
    .summary dd { margin: 0; overflow-wrap: anywhere; }
    .summary .hash { font-family: var(--mono); font-size: 0.92em; }
    .summary .problems { margin: 0; padding: 0 1em 0.8em 2.2em; color: #82071e; }
    .counts span + span::before { content: " · "; color: var(--faint); }

    /* Index */
    .lede { color: var(--muted); font-size: 1.02rem; }
    .derivations { list-style: none; padding: 0; margin: 1.5em 0; display: flex; flex-direction: column; gap: 0.9em; }
    .derivations li { margin: 0; }
    .card { display: block; border: 1px solid var(--rule); border-left: 5px solid var(--pass); border-radius: 8px; padding: 0.85em 1.1em; color: inherit; text-decoration: none; background: #fff; }
    .card.failed { border-left-color: var(--fail); }
    .card:hover { border-color: #b6c2cf; box-shadow: 0 2px 8px rgba(31, 35, 40, 0.08); }
    .card h2 { margin: 0 0 0.35em; font-size: 1.15rem; border: 0; padding: 0; color: var(--accent); }
    .card .facts { font-family: var(--sans); font-size: 0.84rem; color: var(--muted); display: flex; flex-wrap: wrap; gap: 0.3em 1.1em; align-items: baseline; }
    footer { font-family: var(--sans); font-size: 0.78rem; color: var(--faint); border-top: 1px solid var(--rule); margin-top: 3em; padding-top: 1em; padding-bottom: 2.5em; }
    footer p { margin: 0.2em 0; }
    footer code { font-size: 0.95em; }
    /* Blueprint graph, contents, output */
    details.blueprint, nav.toc details, details.output { border: 1px solid var(--rule); border-radius: 8px; margin: 0 0 1.4em; font-family: var(--sans); font-size: 0.84rem; }
    details.blueprint > summary, nav.toc summary, details.output > summary { cursor: pointer; padding: 0.45em 0.9em; color: var(--muted); background: var(--tint); border-radius: 8px; }
    details.blueprint[open] > summary, nav.toc details[open] summary, details.output[open] > summary { border-bottom: 1px solid var(--rule); border-radius: 8px 8px 0 0; }
    .blueprint-drawing { padding: 0.6em; overflow-x: auto; text-align: center; }
    svg.blueprint-graph { width: 100%; height: auto; }
    svg.blueprint-graph a:hover path, svg.blueprint-graph a:hover polygon { stroke-width: 2.4; }
    .blueprint .legend { margin: 0; padding: 0.3em 0.9em 0.7em; color: var(--muted); display: flex; flex-wrap: wrap; gap: 0.3em 0.9em; align-items: baseline; }
    .legend .key::before { content: ""; display: inline-block; width: 0.85em; height: 0.85em; border-radius: 3px; margin-right: 0.35em; vertical-align: -0.1em; border: 1.5px solid; }
    .legend .key.passes::before { background: var(--pass-bg); border-color: var(--pass); }
    .legend .key.fails::before { background: var(--fail-bg); border-color: var(--fail); }
    .legend .key.undecided::before { background: var(--warn-bg); border-color: var(--warn); }
    .legend .key.no-claims::before { background: var(--tint); border-color: var(--faint); }
    .legend .key.affected::before { background: #fff; border: 2px dashed var(--fail); }
    .legend .hint { flex-basis: 100%; }
    .blueprint-list { margin: 0.6em 0.9em 0.9em; padding-left: 1.4em; }
    .blueprint-list li.fails, .blueprint-list li.affected { color: var(--fail); }
    .blueprint-list .section { color: var(--muted); }
    nav.toc ol { margin: 0; padding: 0.5em 0.9em 0.7em 2.4em; columns: 2 18rem; column-gap: 2em; }
    nav.toc li { margin: 0.1em 0; break-inside: avoid; }
    details.output pre { margin: 0; padding: 0.6em 0.9em; overflow-x: auto; font-size: 0.8rem; background: #fff; border-radius: 0 0 8px 8px; }
    details.output { margin-top: -0.4em; }
    .card-graph { margin-top: 0.6em; font-family: var(--sans); font-size: 0.8rem; color: var(--muted); display: flex; flex-direction: column; gap: 0.3em; }
    .card-graph img { max-height: 9rem; max-width: 100%; align-self: flex-start; }
    .line:target { background: #fff8c5; border-left-color: var(--warn); }
    .line.missed { background: rgba(188, 76, 0, 0.08); border-left-color: #bc4c00; }
    .missed-mark { font-family: var(--sans); font-size: 0.78em; color: #bc4c00; margin-left: 1.5em; user-select: none; -webkit-user-select: none; }
    .legend .key.missed::before { background: #fff; border: 3px double #57606a; }
    .claim-meta .id + .id { margin-left: -0.6em; }

    /* Rate plots */
    figure.plot { margin: 0.2em 0 0.4em; }
    figure.plot svg { width: 100%; max-width: 30rem; height: auto; display: block; }
    figure.plot figcaption { font-size: 0.9em; color: var(--muted); }

    /* Wide screens: code figures leave the text column so that 100-character lines show whole. */
    @media (min-width: 1100px) {
      figure.code, details.code { width: min(62rem, calc(100vw - 3rem)); position: relative; left: 50%; transform: translateX(-50%); }
    }
    /* Narrow screens: nothing wider than the screen; wide things scroll in their own box. */
    @media (max-width: 640px) {
      body { font-size: 17px; } .summary dl { grid-template-columns: 1fr; } .summary dt { margin-top: 0.4em; }
      main, .topbar-inner, footer { padding: 0 0.8rem; }
      .topbar-inner { flex-wrap: wrap; } .topbar-inner .mono { overflow-wrap: anywhere; }
      h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; }
      .claim-head { flex-wrap: wrap; }
      table.values { display: block; overflow-x: auto; }
      table.values th { width: auto; }
      nav.toc ol { columns: 1; }
      .blueprint-drawing { text-align: left; }
      .blueprint-drawing svg.blueprint-graph { width: 40rem; max-width: none; }
      .katex { font-size: 1em; }
    }
    main { overflow-wrap: break-word; }
    .katex-display > .katex { max-width: 100%; }
    @media print { .topbar, .anchor { display: none; } details.code { display: none; } }

    """
}

/// Rendering could not be done: KaTeX missing, a folder not writable.
public struct RenderError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
