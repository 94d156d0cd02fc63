extension Filter {
    /// Deepest nesting of `_and`/`_or`/`_not` a filter may have.
    public static let maxDepth = 16
    /// Most nodes (combinations and conditions together) a filter may have.
    public static let maxNodes = 200

    /// Refuses filters nested deeper than `maxDepth` or larger than `maxNodes`, before any SQL
    /// is built, with a validation error naming the limit. Cost: one walk of the filter,
    /// stopped at the first limit passed.
    public func checkLimits() throws(KernelError) {
        var nodes = 0
        try Self.walk(self, depth: 1, nodes: &nodes)
    }

    private static func walk(_ filter: Filter, depth: Int, nodes: inout Int) throws(KernelError) {
        nodes += 1
        guard nodes <= maxNodes else {
            throw KernelError(.validation, "the filter has more than \(maxNodes) parts (conditions and _and/_or/_not); split the query",
                              fieldErrors: [FieldError(field: "filter", message: "more than \(maxNodes) parts")])
        }
        guard depth <= maxDepth else {
            throw KernelError(.validation, "the filter is nested more than \(maxDepth) levels deep (_and/_or/_not); flatten it",
                              fieldErrors: [FieldError(field: "filter", message: "nested more than \(maxDepth) levels")])
        }
        switch filter {
        case .all(let parts), .any(let parts):
            for p in parts { try walk(p, depth: depth + 1, nodes: &nodes) }
        case .not(let inner):
            try walk(inner, depth: depth + 1, nodes: &nodes)
        case .condition:
            break
        }
    }
}
