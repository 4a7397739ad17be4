#ifndef CCOMMONMARK_SHIM_H
#define CCOMMONMARK_SHIM_H
// The CommonMark reference parser (GitHub's cmark-gfm): the verifier finds fenced code blocks with it, and the
// pages render Markdown with it and its GitHub extensions.
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

// Whether `node` is a block (not an inline); the type masks are macros, which Swift does not import reliably.
static inline int ccommonmark_node_is_block(cmark_node *node) {
    return (cmark_node_get_type(node) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK;
}

// The options the pages render with: raw HTML kept (derivations are the repository's own text), footnotes,
// table alignment as `style="text-align: …"` (HTML5 has no `align` attribute).
static inline int ccommonmark_page_options(void) {
    return CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;
}

// The options of the CommonMark spec's examples: raw HTML kept, nothing else.
static inline int ccommonmark_spec_options(void) {
    return CMARK_OPT_UNSAFE;
}

// A parser with the GitHub extensions `table`, `strikethrough` and `autolink` attached (when `extensions` is
// non-zero). Free it with cmark_parser_free.
static inline cmark_parser *ccommonmark_parser(int options, int extensions) {
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *parser = cmark_parser_new(options);
    if (extensions) {
        const char *names[] = {"table", "strikethrough", "autolink"};
        for (int i = 0; i < 3; i++) {
            cmark_syntax_extension *extension = cmark_find_syntax_extension(names[i]);
            if (extension) cmark_parser_attach_syntax_extension(parser, extension);
        }
    }
    return parser;
}

#endif
