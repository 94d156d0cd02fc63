import CRMKernel

/// Normalized forms of company names and phone numbers: the keys a duplicate check looks up.
///
/// Stored in the indexed customer columns `name_key` and `phone_key` (and `contact.phone_key`),
/// so finding a duplicate is one index lookup.
public enum DuplicateKeys {
    /// Company-form suffixes removed from the end of a name, longest first (after full-width
    /// characters became half-width, so `（中国）` is `(中国)`).
    static let suffixes = ["集团股份有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司",
                           "股份公司", "集团公司", "公司", "(中国)", "(集团)"]
    /// Latin company forms removed when they stand as their own word (`Co., Ltd.`).
    static let latinSuffixes = ["company", "limited", "corporation", "corp", "ltd", "inc", "llc", "gmbh", "co"]
    /// Characters dropped from names besides whitespace.
    static let dropped: Set<Unicode.Scalar> = [".", ",", "、", "。", "·", "・", "'", "\"", "-", "_", "/"]

    /// The key of a company name: full-width letters, digits, spaces and brackets made half-width,
    /// Latin lowercased, whitespace and punctuation removed, brackets made `()`, and company-form
    /// suffixes (有限公司, 有限责任公司, 股份有限公司, (中国), Co., Ltd. ...) stripped.
    /// `深圳华信科技有限公司`, `深圳 华信科技` and `深圳华信科技（中国）有限公司` share the key
    /// `深圳华信科技`. Nil for an empty name.
    public static func name(_ text: String) -> String? {
        // One pass over the scalars (no Character or locale work): half-width, lowercased. The
        // scalars live in arrays, not String views, whose appends and counts walk the UTF-8.
        var lowered: [Unicode.Scalar] = []
        lowered.reserveCapacity(text.utf8.count)
        var hasLatin = false
        for u in halfWidthScalars(text) {
            let v = u.value
            if v >= 65 && v <= 90 {
                lowered.append(Unicode.Scalar(v + 32)!); hasLatin = true
            } else if v >= 97 && v <= 122 {
                lowered.append(u); hasLatin = true
            } else if !u.isASCII && !isIdeograph(u) && u.properties.changesWhenLowercased {
                lowered.append(contentsOf: u.properties.lowercaseMapping.unicodeScalars)
            } else {
                lowered.append(u)
            }
        }
        // Latin company forms are words, so they go while the spaces are still there.
        if hasLatin { lowered = Array(stripLatinSuffixes(string(lowered)).unicodeScalars) }
        var rest = lowered.filter { !dropped.contains($0) && (isIdeograph($0) || !$0.properties.isWhitespace) }
        guard !rest.isEmpty else { return nil }
        // The longest form that ends the name goes, then again; never the whole name.
        while let suffix = suffixScalars.first(where: { rest.count >= $0.count && rest[(rest.count - $0.count)...].elementsEqual($0) }),
              rest.count > suffix.count {
            rest.removeLast(suffix.count)
        }
        return string(rest)
    }

    /// A string of `scalars`, encoded to UTF-8 in one buffer.
    static func string(_ scalars: [Unicode.Scalar]) -> String {
        var bytes = UTF8Bytes(capacity: scalars.count * 3)
        bytes.append(contentsOf: scalars)
        return bytes.string
    }

    /// A CJK ideograph (the bulk of a Chinese name): neither white space nor changed by
    /// lowercasing, so no Unicode property lookup is needed for it.
    static func isIdeograph(_ u: Unicode.Scalar) -> Bool { (0x4E00...0x9FFF).contains(u.value) }

    /// `suffixes` as scalars, for comparing without building strings.
    static let suffixScalars: [[Unicode.Scalar]] = suffixes.map { Array($0.unicodeScalars) }

    /// The key of a phone number: digits only, without the +86 / 0086 / 86 country code
    /// (a landline written internationally gets its leading 0 back). `+86 138-0013-8000` and
    /// `13800138000` share the key `13800138000`; `0755 8888 1234`, `0755-88881234` and
    /// `+86 755 8888 1234` share `075588881234`. Nil when fewer than five digits remain.
    public static func phone(_ text: String) -> String? {
        var digits = String.UnicodeScalarView()
        var plus = false
        for u in halfWidthScalars(text) {
            if ("0"..."9").contains(u) { digits.append(u); continue }
            if u == "+" && digits.isEmpty { plus = true; continue }
            if u.properties.isWhitespace || "-().".unicodeScalars.contains(u) { continue }
            break  // an extension (转 123, ext. 5) or trailing text ends the number
        }
        var s = String(digits)
        var international = false
        if plus && s.hasPrefix("86") {
            s.removeFirst(2); international = true
        } else if s.hasPrefix("0086") {
            s.removeFirst(4); international = true
        } else if s.count == 13 && s.hasPrefix("86") {
            s.removeFirst(2); international = true
        }
        if international && !s.hasPrefix("1") && !s.hasPrefix("0") { s = "0" + s }
        return s.count >= 5 ? s : nil
    }

    /// Full-width ASCII (U+FF01–FF5E) and the ideographic space made half-width; CJK brackets
    /// 【】〔〕 and ASCII [] {} made ().
    static func halfWidthScalars(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.utf8.count)
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
        return out
    }

    /// Removes trailing Latin company forms that stand as a word: `huaxin co., ltd.` → `huaxin`,
    /// while `zinc` stays `zinc`.
    static func stripLatinSuffixes(_ text: String) -> String {
        var s = Substring(text)
        let separators: Set<Character> = [" ", ".", ",", "\u{3000}"]
        while true {
            while let last = s.last, separators.contains(last) { s.removeLast() }
            guard let suffix = latinSuffixes.first(where: { s.hasSuffix($0) }) else { break }
            let rest = s.dropLast(suffix.count)
            // Only a whole word (preceded by a separator or a CJK character), never the whole name.
            guard let before = rest.last, !(before.isASCII && before.isLetter),
                  !rest.allSatisfy({ separators.contains($0) }) else { break }
            s = rest
        }
        return String(s)
    }
}
