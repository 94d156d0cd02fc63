import CRMDataTransfer
import CRMKernel
import Foundation
import Testing
import CRMTestSupport

/// The .xlsx reader against workbooks written by openpyxl, and against hostile files.
struct XLSXReaderTests {
    @Test func readsSharedAndInlineStringsNumbersBooleansFormulasAndChosenSheet() throws {
        let dir = try PythonScript.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("book.xlsx").path
        try PythonScript.run("""
            import sys, openpyxl
            wb = openpyxl.Workbook()
            ws = wb.active; ws.title = "说明"; ws["A1"] = "readme"
            c = wb.create_sheet("客户")
            c.append(["客户名称", "联系方式", "金额", "已签", "公式"])
            c.append(["深圳华信科技有限公司", 13800138000, 12.5, True, "=C2*2"])
            c.append(["广州 & <测试>", "020-1234", 3, False, None])
            wb.save(sys.argv[1])
            """, [path])
        let reader = try XLSXReader(file: path)
        #expect(try reader.sheets().map(\.name) == ["说明", "客户"])
        let table = try ImportTable.read(path, sheet: "客户")
        #expect(table.header == ["客户名称", "联系方式", "金额", "已签", "公式"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0].line == 2)
        #expect(table.rows[0].cells[0] == "深圳华信科技有限公司")
        #expect(table.rows[0].cells[1] == "13800138000")
        #expect(table.rows[0].cells[2] == "12.5")
        #expect(table.rows[0].cells[3] == "true")
        // openpyxl stores no cached value for a formula: it reads as empty, never as the formula.
        #expect(table.rows[0].cells[4] == "")
        #expect(table.rows[1].cells[0] == "广州 & <测试>")
        #expect(try ImportTable.read(path, sheet: "2").sheet == "客户")
        #expect(throws: KernelError.self) { try ImportTable.read(path, sheet: "无此表") }
    }

    @Test func formulaCachedValueIsUsed() throws {
        let dir = try PythonScript.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.xlsx").path
        // A sheet as Excel saves it: a formula with its cached result, a shared string, a
        // number in exponent form.
        try PythonScript.run("""
            import sys, zipfile
            parts = {
              "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
              "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
              "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>',
              "xl/sharedStrings.xml": '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>name</t></si><si><t>total</t></si><si><r><t>华</t></r><r><t>信</t></r><rPh><t>hua</t></rPh></si></sst>',
              "xl/worksheets/sheet1.xml": '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><f>1+1</f><v>1.38001380000E10</v></c></row><row r="3"><c r="A3" t="str"><f>A2</f><v>华信</v></c><c r="B3" t="e"><v>#DIV/0!</v></c></row></sheetData></worksheet>',
            }
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                for name, text in parts.items(): z.writestr(name, text)
            """, [path])
        let table = try ImportTable.read(path)
        #expect(table.header == ["name", "total"])
        #expect(table.rows.map(\.cells) == [["华信", "13800138000"], ["华信", ""]])
    }

    @Test func mergedCellsFillTheirRangeAndEmptyRowsAreNotKept() throws {
        let dir = try PythonScript.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.xlsx").path
        try PythonScript.run("""
            import sys, openpyxl
            from openpyxl.styles import Font
            wb = openpyxl.Workbook(); ws = wb.active
            ws.append(["行业", "客户名称"])
            ws.append(["制造业", "甲"]); ws.append([None, "乙"]); ws.append([None, "丙"])
            ws.merge_cells("A2:A4")
            # formatted but empty cells far below the data
            for r in (50, 5000, 1048576): ws.cell(row=r, column=1).font = Font(bold=True)
            wb.save(sys.argv[1])
            """, [path])
        let table = try ImportTable.read(path)
        #expect(table.rows.map(\.cells) == [["制造业", "甲"], ["制造业", "乙"], ["制造业", "丙"]])
    }

    @Test func aMillionEmptyRowsAreSkippedWithoutKeepingThem() throws {
        let dir = try PythonScript.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("empty.xlsx").path
        try PythonScript.run("""
            import sys, zipfile
            rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>甲</t></is></c></row>'
            empty = ''.join('<row r="%d"><c r="A%d" s="1"/></row>' % (r, r) for r in range(3, 1000003))
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
                z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
                z.writestr("xl/worksheets/sheet1.xml", '<worksheet><sheetData>' + rows + empty + '</sheetData></worksheet>')
            """, [path])
        let table = try ImportTable.read(path)
        #expect(table.rows.count == 1)
        #expect(table.rows[0].cells == ["甲"])
    }

    @Test func zipBombIsRefusedNamingTheFile() throws {
        let dir = try PythonScript.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bomb.xlsx").path
        try PythonScript.run("""
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
                z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
                z.writestr("xl/worksheets/sheet1.xml", '<worksheet><sheetData>' + ' ' * (8 << 20) + '</sheetData></worksheet>')
            """, [path])
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0) < 100_000)
        let error = try #require(throws: KernelError.self) { try ImportTable.read(path, limits: XLSXReader.Limits(maxPartBytes: 1 << 20)) }
        #expect(error.message.contains("bomb.xlsx"))
        #expect(error.message.contains("zip bomb"))
        // The same file within the default cap reads as an empty sheet.
        #expect(throws: KernelError.self) { try ImportTable.read(path) }
    }

    @Test func aFileThatIsNotAWorkbookIsNamedInTheError() throws {
        let dir = try PythonScript.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("fake.xlsx").path
        try "name,phone\n甲,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: KernelError.self) { try ImportTable.read(path) }
        #expect(error.message == "\(path): not an .xlsx workbook (not a ZIP archive)")
        let zipped = dir.appendingPathComponent("other.xlsx").path
        try PythonScript.run("import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z: z.writestr('a.txt', 'x')", [zipped])
        let other = try #require(throws: KernelError.self) { try ImportTable.read(zipped) }
        #expect(other.message.contains("other.xlsx: not an .xlsx workbook"))
    }
}
