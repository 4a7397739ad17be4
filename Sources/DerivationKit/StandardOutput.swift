// Alone in its file: C's `stdout` is a global the Swift 6 checker cannot see as safe, and only a file that imports
// Glibc (not Foundation) with `@preconcurrency` may name it.
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Makes standard output line-buffered, so that what a block printed before a trap is not lost in the buffer.
/// Call before anything is printed. The corresponding C function is `setvbuf`.
func lineBufferStandardOutput() {
    setvbuf(stdout, nil, _IOLBF, 0)
}
