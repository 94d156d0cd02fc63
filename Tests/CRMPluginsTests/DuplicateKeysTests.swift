import CRMCustomers
import CRMKernel
import Testing

/// The normalized keys 查重 looks up.
struct DuplicateKeysTests {
    @Test(arguments: ["深圳华信科技有限公司", "深圳华信科技", "深圳 华信 科技", "深圳华信科技股份有限公司", "深圳华信科技有限责任公司",
                      "深圳华信科技集团有限公司", "深圳华信科技（中国）有限公司", "深圳华信科技(中国)有限公司", "深圳华信科技公司",
                      "深圳华信科技\u{3000}有限公司", " 深圳华信科技有限公司 "])
    func companyNameVariantsShareOneKey(_ name: String) {
        #expect(DuplicateKeys.name(name) == "深圳华信科技")
    }

    @Test func fullWidthLatinDigitsAndBracketsBecomeHalfWidthLowercase() {
        #expect(DuplicateKeys.name("ＡＢＣ科技１号有限公司") == "abc科技1号")
        #expect(DuplicateKeys.name("ABC科技1号有限公司") == "abc科技1号")
        #expect(DuplicateKeys.name("华信【深圳】科技") == DuplicateKeys.name("华信(深圳)科技"))
        #expect(DuplicateKeys.name("Huaxin Technology Co., Ltd.") == "huaxintechnology")
        #expect(DuplicateKeys.name("ＨＵＡＸＩＮ　Technology Co.,Ltd") == "huaxintechnology")
        #expect(DuplicateKeys.name("Zinc") == "zinc", "a suffix only counts as a whole word")
    }

    @Test func aNameThatIsOnlyASuffixKeepsItAndEmptyHasNoKey() {
        #expect(DuplicateKeys.name("有限公司") == "有限公司")
        #expect(DuplicateKeys.name("   ") == nil)
        #expect(DuplicateKeys.name("华信") != DuplicateKeys.name("华信科技"))
    }

    @Test(arguments: ["+86 138-0013-8000", "13800138000", "138 0013 8000", "0086 13800138000", "8613800138000",
                      "(+86)138-0013-8000", "＋８６ １３８００１３８０００"])
    func mobileVariantsShareOneKey(_ phone: String) {
        #expect(DuplicateKeys.phone(phone) == "13800138000")
    }

    @Test func landlinesKeepTheirAreaCodeAndExtensionsAreIgnored() {
        #expect(DuplicateKeys.phone("0755-88881234") == "075588881234")
        #expect(DuplicateKeys.phone("(0755) 8888 1234") == "075588881234")
        #expect(DuplicateKeys.phone("+86 755 8888 1234") == "075588881234")
        #expect(DuplicateKeys.phone("0755-88881234 转 803") == "075588881234")
        #expect(DuplicateKeys.phone("123") == nil)
    }
}
