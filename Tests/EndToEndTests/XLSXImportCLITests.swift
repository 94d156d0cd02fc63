import Foundation
import Testing
import CRMTestSupport

/// The issue's story through the real binary: a spreadsheet from another CRM (Chinese headers in
/// another order, dates as 2026年1月5日, phones as numbers, duplicates of existing customers) is
/// mapped, dry-run, imported with `--on-duplicate update`, the refused rows come back as a
/// workbook, are fixed and imported again; exports open in openpyxl.
struct XLSXImportCLITests {
    static let makeBook = """
        import sys, openpyxl, datetime
        wb = openpyxl.Workbook()
        wb.active.title = "封面"; wb.active["A1"] = "从旧系统导出"
        ws = wb.create_sheet("客户清单")
        ws.append(["手机", "公司全称", "行业", "来源", "建档日期", "旧系统编号"])
        ws.append([13800138000, "深圳华信科技有限公司", "信息技术", "展会推荐", "2026年1月5日", "X1"])
        ws.append([13900139001, "广州恒远贸易有限公司", "制造业", "展会推荐", datetime.date(2026, 12, 1), "X2"])
        ws.append(["13700137002", "杭州云帆软件有限公司", "制造业", "线上推广", "2026/2/3", "X3"])
        ws.append(["not-a-phone", "成都博雅教育有限公司", "教育", "展会推荐", "2026-03-04", "X4"])
        wb.save(sys.argv[1])
        """

    static let readBook = """
        import sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
        ws = wb[wb.sheetnames[0]]
        for row in ws.iter_rows(values_only=True):
            print("|".join("" if v is None else str(v) for v in row))
        """

    @Test func mapDryRunImportWithUpdateErrorFileAndReimport() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let existing = try crm.write("existing.csv", "name,phone,industry,source,city\n深圳华信科技有限公司,020-5550000,信息技术,展会推荐,深圳\n")
        try #require(crm.run(["import", "customer", existing]).status == 0)
        let book = crm.root.appendingPathComponent("old-crm.xlsx").path
        try PythonScript.run(Self.makeBook, [book])
        let map = try crm.write("map.json", #"{"columns": {"手机": "phone", "公司全称": "name", "行业": "industry", "来源": "source", "建档日期": "entry_date", "旧系统编号": null}}"#)

        // The first sheet is the cover: its header is not a customer's.
        let wrongSheet = try crm.run(["import", "customer", book])
        #expect(wrongSheet.status == 2)
        #expect(wrongSheet.stderr.contains("old-crm.xlsx [封面] row 1: column 1 '从旧系统导出' is not a field of customer"), "\(wrongSheet.stderr)")

        let dry = try crm.run(["import", "customer", book, "--sheet", "客户清单", "--map", map, "--save-map", "旧系统",
                               "--on-duplicate", "update", "--dry-run"])
        #expect(dry.status == 2, "\(dry.stderr)")
        #expect(dry.stdout.contains("row 2: updated #1 (duplicate of #1 深圳华信科技有限公司, 名称)"), "\(dry.stdout)")
        #expect(dry.stdout.contains("row 3: created"))
        #expect(dry.stdout.contains("row 5, column A (手机): refused: customer.phone"), "\(dry.stdout)")
        #expect(dry.stdout.contains("dry run (nothing written): would import 2 customer record(s)"))
        #expect(try crm.run(["export", "customer"]).stdout.split(separator: "\n").count == 2, "a dry run writes nothing")

        // The saved map is used by name; the real run writes the refused row to an error workbook.
        let errors = crm.root.appendingPathComponent("fix.xlsx").path
        let real = try crm.run(["import", "customer", book, "--sheet", "客户清单", "--map", "旧系统", "--on-duplicate", "update", "--errors", errors])
        #expect(real.status == 2)
        #expect(real.stdout.contains("imported 2 customer record(s) in 1 batch(es); updated 1, merged 0, skipped 0, refused 1"), "\(real.stdout)")
        #expect(real.stderr.contains("fix them in \(errors)"))
        let csv = try crm.run(["export", "customer"]).stdout
        #expect(csv.contains("深圳华信科技有限公司,,13800138000"), "update fills the mapped columns: \(csv)")
        #expect(csv.contains("深圳,"), "update keeps the columns not mapped")
        #expect(csv.contains("2026-01-05") && csv.contains("2026-12-01") && csv.contains("2026-02-03"))

        let errorRows = try PythonScript.run(Self.readBook, [errors]).split(separator: "\n").map(String.init)
        #expect(errorRows.first == "手机|公司全称|行业|来源|建档日期|旧系统编号|import_row|import_column|import_error")
        #expect(errorRows.count == 2)
        #expect(errorRows[1].hasPrefix("not-a-phone|成都博雅教育有限公司|") && errorRows[1].contains("|5|手机|customer.phone"), "\(errorRows)")

        // Fix the phone in the error workbook (as a user would) and import it again.
        try PythonScript.run("""
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1]); ws = wb.active
            ws["A2"] = "028-86001234"; wb.save(sys.argv[1])
            """, [errors])
        let fixed = try crm.run(["import", "customer", errors, "--map", "旧系统", "--on-duplicate", "update"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(fixed.stdout.contains("imported 1 customer record(s)"), "\(fixed.stdout)")
        #expect(try crm.run(["export", "customer"]).stdout.contains("成都博雅教育有限公司"))

        // Importing the whole sheet again with skip: every row is a duplicate now.
        let skip = try crm.run(["import", "customer", book, "--sheet", "客户清单", "--map", "旧系统", "--on-duplicate", "skip"])
        #expect(skip.stdout.contains("imported 0 customer record(s) in 1 batch(es); updated 0, merged 0, skipped 4, refused 0"), "\(skip.stdout)")
    }

    @Test func exportedWorkbookOpensInOpenpyxlAndImportsAgain() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        try #require(crm.run(["import", "customer", try crm.write("c.csv", ImportCLITests.customersCSV(30))]).status == 0)
        let out = crm.root.appendingPathComponent("customers.xlsx").path
        let export = try crm.run(["export", "customer", "--out", out])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.contains("exported 30 customer record(s)"))
        let rows = try PythonScript.run(Self.readBook, [out]).split(separator: "\n").map(String.init)
        #expect(rows.count == 31)
        #expect(rows[0].hasPrefix("id|name|contact_name|phone"))
        #expect(rows[8].contains("|测试公司7有限公司||13800000007|"), "phones stay text: \(rows[8])")
        #expect(rows[8].contains("重点客户,华南区"))
        // The export imports into another workspace as it is.
        let other = try CRMProcess()
        defer { other.cleanUp() }
        try #require(other.run(["init"]).status == 0)
        let back = try other.run(["import", "customer", out])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout.contains("imported 30 customer record(s)"))
        #expect(try crm.run(["export", "customer", "--format", "xlsx"]).stderr.contains("needs --out"))
    }

    @Test func mappingToHiddenOrUnknownFieldIsRefusedAndNothingIsImported() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let file = try crm.write("c.csv", "公司,电话,行业,来源\n甲公司,13800000001,制造业,展会推荐\n")
        let unknown = try crm.write("bad.json", #"{"公司": "nme"}"#)
        let u = try crm.run(["import", "customer", file, "--map", unknown])
        #expect(u.status == 2)
        #expect(u.stderr.contains("bad.json: column '公司' maps to 'nme', which is not a field of customer"), "\(u.stderr)")
        let system = try crm.write("sys.json", #"{"公司": "name", "电话": "created_at"}"#)
        #expect(try crm.run(["import", "customer", file, "--map", system]).stderr.contains("which the system maintains"))
        let missing = try crm.write("missing.json", #"{"客户名": "name"}"#)
        #expect(try crm.run(["import", "customer", file, "--map", missing]).stderr.contains("column '客户名' is not in"))
        let policy = try crm.run(["import", "customer", file, "--on-duplicate", "sometimes"])
        #expect(policy.stderr.contains("--on-duplicate must be skip, update, merge or create"))
        #expect(try crm.run(["export", "customer"]).stdout.split(separator: "\n").count == 1)
    }

    @Test func mergeFillsOnlyEmptyFieldsAndUnitesTags() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        try #require(crm.run(["import", "customer", try crm.write("a.csv", "name,phone,industry,source,tags\n甲公司,13800000001,制造业,展会推荐,老客户\n")]).status == 0)
        let file = try crm.write("b.csv", "name,phone,industry,source,city,tags\n甲公司,13800000009,教育,线上推广,杭州,重点\n")
        let out = try crm.run(["import", "customer", file, "--on-duplicate", "merge"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("merged #1 (duplicate of #1 甲公司, 名称)"), "\(out.stdout)")
        let csv = try crm.run(["export", "customer"]).stdout
        #expect(csv.contains("13800000001") && !csv.contains("13800000009"), "merge keeps what the record has")
        #expect(csv.contains("杭州") && csv.contains("\"老客户,重点\""), "\(csv)")
    }
}
