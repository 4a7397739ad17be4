#ifndef CCOMMONMARK_SHIM_H
#define CCOMMONMARK_SHIM_H
// The CommonMark reference parser (GitHub's cmark-gfm): the verifier finds fenced code blocks with it.
#include <cmark-gfm.h>

// Whether `node` is a block (not an inline); the type masks are macros, which Swift does not import reliably.
static inline int ccommonmark_node_is_block(cmark_node *node) {
    return (cmark_node_get_type(node) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK;
}

#endif
