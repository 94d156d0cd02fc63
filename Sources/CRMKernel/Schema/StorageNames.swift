/// Names of the tables and indexes the kernel derives from entity and field names.
///
/// Entity and field names are lowercase letters, digits and `_` (`ReservedFieldNames`), so a
/// plain `_` between them is ambiguous: entity `order` with field `line_tags` and entity
/// `order_line` with field `tags` would both give `order_line_tags`. Every derived name therefore
/// writes each name after its length in characters (`l_5_order_line_tags` and
/// `l_10_order_line_tags`): the length says where the name ends, and as names start with a
/// letter, a derived name of this scheme never equals one of the old scheme (kernel migration
/// `kernel.004-storage-names` renamed those).
enum StorageNames {
    /// `<length>_<name>`.
    static func part(_ name: String) -> String { "\(name.count)_\(name)" }

    /// The item table of an indexed list field: `l_<n>_<entity>_<field>`.
    static func listTable(_ entity: String, _ field: String) -> String { "l_" + part(entity) + "_" + field }

    /// The record index of that table: `lx_<n>_<entity>_<field>`.
    static func listRecordIndex(_ entity: String, _ field: String) -> String { "lx_" + part(entity) + "_" + field }

    /// The index of one column: `ix_<n>_<entity>_<field>`.
    static func index(_ entity: String, _ field: String) -> String { "ix_" + part(entity) + "_" + field }

    /// The unique index of one column: `ux_<n>_<entity>_<field>`.
    static func uniqueIndex(_ entity: String, _ field: String) -> String { "ux_" + part(entity) + "_" + field }

    /// A declared index over several columns: `ixc_<n>_<entity>` then `_<n>_<column>` for each,
    /// followed by `_desc` for a descending column (declared `-column`).
    static func compositeIndex(_ entity: String, _ columns: [String]) -> String {
        "ixc_" + part(entity) + columns.map { column in
            let (name, descending) = IndexColumn.parse(column)
            return "_" + part(name) + (descending ? "_desc" : "")
        }.joined()
    }
}

/// One column of a declared index: a field name, or `-name` for a descending column.
enum IndexColumn {
    /// The field a declared column names, and whether it is descending.
    static func parse(_ column: String) -> (field: String, descending: Bool) {
        column.hasPrefix("-") ? (String(column.dropFirst()), true) : (column, false)
    }

    /// The column in a `CREATE INDEX` statement.
    static func sql(_ column: String) -> String {
        let (field, descending) = parse(column)
        return SQL.quote(field) + (descending ? " DESC" : "")
    }
}
