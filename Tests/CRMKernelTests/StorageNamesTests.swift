import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// Entity `order` with field `line_tags` and entity `order_line` with field `tags` once met in
/// `l_order_line_tags` (and `ix_order_line_code` in both tables' indexes); now each has its own.
struct StorageNamesTests {
    static var declarations: SchemaDeclarations {
        SchemaDeclarations(entities: [
            EntityDefinition("order", label: LocalizedText("订单"), titleField: "name", fields: [
                FieldDefinition("name", .text, label: LocalizedText("名称"), required: true),
                FieldDefinition("line_tags", .tags, label: LocalizedText("行标签"), indexed: true),
                FieldDefinition("line_code", .text, label: LocalizedText("行编码"), indexed: true),
                FieldDefinition("a", .text, label: LocalizedText("甲")),
                FieldDefinition("b_c", .text, label: LocalizedText("乙丙")),
                FieldDefinition("b", .text, label: LocalizedText("乙")),
                FieldDefinition("c", .text, label: LocalizedText("丙")),
            ], indexes: [["a", "b_c"], ["b", "c"]]),
            EntityDefinition("order_line", label: LocalizedText("订单行"), titleField: "code", fields: [
                FieldDefinition("code", .text, label: LocalizedText("编码"), unique: true),
                FieldDefinition("tags", .tags, label: LocalizedText("标签"), indexed: true),
            ]),
        ])
    }

    private func ids(_ s: RecordStore, _ entity: String, _ field: String, has tag: String) throws -> [Int64] {
        try s.find(Query(entity, filter: .condition(field: field, op: .contains, value: .text(tag)), sort: [SortKey("id")])).records.map(\.id)
    }

    private func names(_ s: RecordStore, _ type: String) throws -> Set<String> {
        Set(try s.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = ?", arguments: [type]) })
    }

    private func fill(_ s: RecordStore) throws -> (order: Int64, line: Int64) {
        let order = try s.create("order", ["name": .text("订单一"), "line_tags": .list(["急", "大客户"]), "line_code": .text("L-1")]).id
        let line = try s.create("order_line", ["code": .text("L-1"), "tags": .list(["急"])]).id
        return (order, line)
    }

    private func expectSeparate(_ s: RecordStore, _ order: Int64, _ line: Int64) throws {
        #expect(try ids(s, "order", "line_tags", has: "急") == [order])
        #expect(try ids(s, "order_line", "tags", has: "急") == [line])
        #expect(try ids(s, "order_line", "tags", has: "大客户").isEmpty)
        let tables = try names(s, "table"), indexes = try names(s, "index")
        #expect(tables.isSuperset(of: ["l_5_order_line_tags", "l_10_order_line_tags"]))
        #expect(indexes.isSuperset(of: ["ix_5_order_line_code", "ux_10_order_line_code", "ixc_5_order_1_a_3_b_c", "ixc_5_order_1_b_1_c"]))
        #expect(kernelError { _ = try s.create("order_line", ["code": .text("L-1")]) } != nil, "still unique")
    }

    @Test func entitiesWhoseNamesMetUnderTheOldSchemeGetTablesAndIndexesOfTheirOwn() throws {
        let s = try TestStore(Self.declarations)
        let (order, line) = try fill(s.store)
        try expectSeparate(s.store, order, line)
    }

    @Test func aWorkspaceWithTheOldNamesIsMigratedInPlaceAndLosesNothing() throws {
        let dir = try TempDir()
        let path = dir.url.appendingPathComponent("old.sqlite").path
        let schema = try SchemaBuilder.build([KernelEntities.declarations, Self.declarations])
        var (order, line): (Int64, Int64) = (0, 0)
        do {
            let store = try RecordStore(path: path)
            try store.configure(schema: schema, hooks: HookSet())
            (order, line) = try fill(store)
            let tagged = try store.create("order", ["name": .text("订单二"), "line_tags": .list(["样品"])]).id
            #expect(tagged > order)
            // Put the database back as the old code left it: one shared item table holding both
            // entities' items, the old index names, and migration 004 not yet run.
            try store.pool.writeWithoutTransaction { db in
                try db.execute(sql: """
                    ALTER TABLE "l_5_order_line_tags" RENAME TO "l_order_line_tags";
                    DROP INDEX "lx_5_order_line_tags";
                    CREATE INDEX "lx_order_line_tags" ON "l_order_line_tags"(_record);
                    INSERT OR IGNORE INTO "l_order_line_tags" SELECT * FROM "l_10_order_line_tags";
                    DROP TABLE "l_10_order_line_tags";
                    DROP INDEX "ix_5_order_line_code";
                    CREATE INDEX "ix_order_line_code" ON "e_order"("line_code");
                    DROP INDEX "ux_10_order_line_code";
                    CREATE UNIQUE INDEX "ux_order_line_code" ON "e_order_line"("code") WHERE "code" IS NOT NULL AND "code" <> '';
                    DROP INDEX "ixc_5_order_1_a_3_b_c";
                    CREATE INDEX "ix_order__a_b_c" ON "e_order"("a", "b_c");
                    DROP INDEX "ixc_5_order_1_b_1_c";
                    CREATE INDEX "ix_order__b_c" ON "e_order"("b", "c");
                    DELETE FROM grdb_migrations WHERE identifier = 'kernel.004-storage-names';
                    """)
            }
        }
        let store = try RecordStore(path: path)
        let indexes = try names(store, "index"), tables = try names(store, "table")
        #expect(!tables.contains("l_order_line_tags") && indexes.filter { $0.hasPrefix("ix_order") || $0.hasPrefix("ux_order") }.isEmpty)
        #expect(indexes.contains("ux_10_order_line_code"), "renamed in the migration, before any schema is applied")
        try store.configure(schema: schema, hooks: HookSet())
        try expectSeparate(store, order, line)
        #expect(try store.count("order") == 2 && store.count("order_line") == 1, "no record lost")
        #expect(try ids(store, "order", "line_tags", has: "样品").count == 1)
    }

    @Test func theOldNameOfAnIndexIsMatchedByItsTableAndColumnsNotGuessed() {
        #expect(StorageNamesMigration.newName("ix_order_line_code", entity: "order", columns: ["line_code"]) == "ix_5_order_line_code")
        #expect(StorageNamesMigration.newName("ix_order_line_code", entity: "order_line", columns: ["code"]) == "ix_10_order_line_code")
        #expect(StorageNamesMigration.newName("ix_order__a_b_c", entity: "order", columns: ["a", "b_c"]) == "ixc_5_order_1_a_3_b_c")
        #expect(StorageNamesMigration.newName("ix_order__a_b_c", entity: "order", columns: ["a_b", "c"]) == "ixc_5_order_3_a_b_1_c")
        #expect(StorageNamesMigration.newName("my_own_index", entity: "order", columns: ["a"]) == nil)
    }
}
