@testable import CRMCustomers
import Testing

/// `DuplicateKeys.name` works on scalar arrays since 2026-12 (it used `String` scalar views):
/// the keys stored in `name_key` must not change, so it is checked against the former
/// implementation, kept here as the reference, over names built from the characters that
/// matter (full-width forms, brackets, Latin words and company forms, whitespace, punctuation,
/// letters whose lowercase is longer, and the Chinese suffixes).
struct DuplicateNameKeyTests {
    @Test func theKeyIsTheFormerImplementationsOnGeneratedNames() {
        let pieces = ["深圳", "华信", "科技", "有限公司", "股份有限公司", "（中国）", "(集团)", "【", "】", "〔", "〕", "[", "}",
                      "Ｈｕａｘｉｎ", "HUAXIN", "huaxin", " Co.,", " Ltd.", " Inc", " GmbH", "zinc", "\u{3000}", " ", "\t", "、", "·",
                      "-", "_", "/", "'", "\"", "１２３", "45", "İ", "ΣΑΣ", "ß", "Ω", "é", "ﬁ", "集团公司", "公司", ".", ","]
        var generator = SplitMix(seed: 20261203)
        for _ in 0..<5_000 {
            var name = ""
            for _ in 0..<Int.random(in: 1...7, using: &generator) { name += pieces.randomElement(using: &generator)! }
            #expect(DuplicateKeys.name(name) == Self.referenceName(name), "\(name)")
        }
    }

    /// The implementation before 2026-12, verbatim but for its helpers' names.
    static func referenceName(_ text: String) -> String? {
        var lowered = String.UnicodeScalarView()
        var hasLatin = false
        for u in referenceHalfWidth(text).unicodeScalars {
            let v = u.value
            if v >= 65 && v <= 90 {
                lowered.append(Unicode.Scalar(v + 32)!); hasLatin = true
            } else if v >= 97 && v <= 122 {
                lowered.append(u); hasLatin = true
            } else if !u.isASCII && !DuplicateKeys.isIdeograph(u) && u.properties.changesWhenLowercased {
                lowered.append(contentsOf: u.properties.lowercaseMapping.unicodeScalars)
            } else {
                lowered.append(u)
            }
        }
        let words = hasLatin ? DuplicateKeys.stripLatinSuffixes(String(lowered)).unicodeScalars : lowered
        var rest = words.filter { !DuplicateKeys.dropped.contains($0) && (DuplicateKeys.isIdeograph($0) || !$0.properties.isWhitespace) }
        guard !rest.isEmpty else { return nil }
        while let suffix = DuplicateKeys.suffixScalars.first(where: { rest.count >= $0.count && rest.suffix($0.count).elementsEqual($0) }),
              rest.count > suffix.count {
            rest.removeLast(suffix.count)
        }
        return String(String.UnicodeScalarView(rest))
    }

    static func referenceHalfWidth(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            var m = u
            if (0xFF01...0xFF5E).contains(u.value) { m = Unicode.Scalar(u.value - 0xFEE0) ?? u }
            switch m {
            case "\u{3000}": out.append(" ")
            case "[", "{", "【", "〔": out.append("(")
            case "]", "}", "】", "〕": out.append(")")
            default: out.append(m)
            }
        }
        return String(out)
    }
}

/// A seeded generator, so a failure names a name that can be reproduced.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
