import CRMKernel

/// The category tree: a category may not be its own ancestor.
enum CategoryTree {
    /// Deeper than this is treated as a cycle in data written before the rule.
    static let maxDepth = 1000

    static var hooks: HookSet {
        var set = HookSet()
        set.onBeforeSave("product_category") { ctx in
            guard ctx.operation != .delete, let id = ctx.id, ctx.changed("parent"),
                  let parent = ctx.values["parent"]?.integerValue else { return }
            if try isAncestor(id, of: parent, ctx.tx.reader.system) {
                ctx.reject("parent", "不能把分类移到它自己或它的下级分类下（会形成循环）")
            }
        }
        return set
    }

    /// Whether `ancestor` is `category` or one of its ancestors.
    static func isAncestor(_ ancestor: Int64, of category: Int64, _ reader: RecordReader) throws -> Bool {
        var current: Int64? = category
        var steps = 0
        while let id = current {
            if id == ancestor { return true }
            steps += 1
            if steps > maxDepth { return true }
            current = try reader.get("product_category", id)?["parent"].integerValue
        }
        return false
    }
}
