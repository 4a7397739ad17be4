extension Verifier {
    /// The mutation analyses of `files` that an earlier `verify --mutate` left in the cache (same text, includes,
    /// library, verifier, compiler and precision options), read without running anything. Files never analysed,
    /// or changed since, are left out. The pages mark these analyses' missed mutants.
    public func cachedMutations(_ files: [ScannedFile]) -> [MutationFileReport] {
        files.compactMap { cached(MutationFileReport.self, at: cacheFile("mutations", for: $0)) }
    }
}
