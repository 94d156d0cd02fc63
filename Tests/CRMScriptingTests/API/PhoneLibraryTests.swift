import Testing
@testable import CRMScripting

/// The stock pack's `lib/phone.lua` (the customers module's phone check), run on a bare state:
/// the bare-mobile shortcut and the full normalization give the same answers.
struct PhoneLibraryTests {
    private func normalize(_ inputs: [LuaValue]) throws -> [[LuaValue]] {
        let state = LuaState()
        let source = ScriptFixture.stockPack["lib/phone.lua"] ?? ""
        let module = try state.load(source: source, chunkName: "lib/phone.lua")
        guard case .table(let phone)? = try state.call(module).first, case .function(let normalize)? = phone.fields["normalize"] else {
            Issue.record("lib/phone.lua returned no normalize function")
            return []
        }
        return try inputs.map { try state.call(normalize, [$0]) }
    }

    @Test func mobilesAndLandlinesAreNormalizedAndTheRestRefused() throws {
        let cases: [(LuaValue, [LuaValue])] = [
            ("13800138000", ["13800138000"]),                 // already normal: the shortcut
            ("19912345678", ["19912345678"]),
            ("+86 138-0013-8000", ["13800138000"]),
            ("0086 13800138000", ["13800138000"]),
            ("8613800138000", ["13800138000"]),
            ("(138) 0013 8000", ["13800138000"]),
            ("0755 8888 1234", ["0755-88881234"]),
            ("010-12345678", ["010-12345678"]),
            ("12800138000", [.nil, "不是有效的手机号或座机号：12800138000"]),   // 11 digits, not a mobile prefix
            ("1380013800a", [.nil, "不是有效的手机号或座机号：1380013800a"]),
            ("12345", [.nil, "不是有效的手机号或座机号：12345"]),
            (.integer(13800138000), [.nil, "电话必须是文本"]),
        ]
        let results = try normalize(cases.map(\.0))
        for ((input, expected), result) in zip(cases, results) {
            #expect(result == expected, "normalize(\(input))")
        }
    }
}
