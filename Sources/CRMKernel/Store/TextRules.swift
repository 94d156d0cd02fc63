/// The rules every text value obeys, whatever its field (decided once, here):
///
/// - no control characters other than tab, line feed and carriage return (NUL included);
/// - not made only of blanks and invisible characters (spaces, zero-width spaces and joiners,
///   byte-order marks): such text looks empty but is not; send an empty value instead.
///
/// Cost: one pass over the UTF-8 bytes; the second rule looks further only when the text
/// starts with a blank or invisible character.
public enum TextRules {
    /// What is wrong with `text`, or nil.
    public static func problem(_ text: String) -> String? {
        for byte in text.utf8 where byte < 0x20 || byte == 0x7F {
            if byte == 0x09 || byte == 0x0A || byte == 0x0D { continue }
            return byte == 0 ? "contains a NUL character" : "contains a control character (U+\(hex(byte)))"
        }
        guard let first = text.unicodeScalars.first, isBlank(first) else { return nil }
        if text.unicodeScalars.allSatisfy(isBlank) { return "is only blank or invisible characters" }
        return nil
    }

    /// White space and the invisible format characters people paste by accident.
    static func isBlank(_ s: Unicode.Scalar) -> Bool {
        // Visible ASCII and CJK ideographs are never blank: no Unicode property lookup for them.
        if (0x21...0x7E).contains(s.value) || (0x4E00...0x9FFF).contains(s.value) { return false }
        return s.properties.isWhitespace || s.properties.generalCategory == .format
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

extension Character {
    /// `0` to `9` only (not other scripts' digits, which `isNumber` accepts).
    var isASCIIDigit: Bool { isASCII && isNumber }
}
