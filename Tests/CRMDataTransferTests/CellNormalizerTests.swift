import CRMDataTransfer
import CRMKernel
import Testing

/// The cell rules CSV and .xlsx imports share.
struct CellNormalizerTests {
    @Test func datesInTheUsualSpellings() {
        #expect(CellNormalizer.date("2026-12-01") == "2026-12-01")
        #expect(CellNormalizer.date("2026/12/1") == "2026-12-01")
        #expect(CellNormalizer.date("2026年12月1日") == "2026-12-01")
        #expect(CellNormalizer.date("2026.1.5") == "2026-01-05")
        #expect(CellNormalizer.date("2026-01-05 00:00:00") == "2026-01-05")
        #expect(CellNormalizer.date("46357") == "2026-12-01")
        #expect(CellNormalizer.date("46357.75") == "2026-12-01")
        #expect(CellNormalizer.date("2026/13/1") == nil)
        #expect(CellNormalizer.date("明天") == nil)
    }

    @Test func choicesByLabelAndPhonesAsNumbers() throws {
        let grade = FieldDefinition("grade", .choice, label: LocalizedText("等级", en: "Grade"),
                                    options: [ChoiceOption("a", label: LocalizedText("重点", en: "Key")), ChoiceOption("b")])
        #expect(try CellNormalizer.value("重点", grade).get() == .text("a"))
        #expect(try CellNormalizer.value("key", grade).get() == .text("a"))
        #expect(try CellNormalizer.value("b", grade).get() == .text("b"))
        let phone = FieldDefinition("phone", .phone, label: LocalizedText("电话", en: "Phone"))
        #expect(try CellNormalizer.value("13800138000.0", phone).get() == .text("13800138000"))
        let money = FieldDefinition("amount", .money, label: LocalizedText("金额", en: "Amount"))
        #expect(try CellNormalizer.value("12.300000000000001", money).get() == .text("12.3"))
        let day = FieldDefinition("day", .date, label: LocalizedText("日期", en: "Day"))
        #expect(throws: FieldError.self) { try CellNormalizer.value("下周", day).get() }
    }
}
