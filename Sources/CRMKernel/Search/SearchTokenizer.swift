/// Turns text into the tokens of the full-text index, so Chinese substrings of any length match.
///
/// SQLite's FTS5 trigram tokenizer finds nothing for 1–2 character terms, and Chinese names such
/// as 张伟 are two characters. Instead each run of CJK characters is indexed as overlapping
/// bigrams plus its last character alone (`张伟科技` → `张伟 伟科 科技 技`), and other letters and
/// digits as lowercase words. A query becomes a phrase of the same bigrams, which matches exactly
/// when the substring occurs; a single character becomes a prefix query.
public enum SearchTokenizer {
    /// Index text: space-separated tokens for the FTS5 `unicode61` tokenizer.
    public static func indexText(_ text: String) -> String {
        // The tokens are written as UTF-8 bytes: appending to a `String`'s scalar view costs
        // several times more per scalar.
        var out = UTF8Bytes(capacity: text.utf8.count * 3)
        var previousCJK: Unicode.Scalar? = nil
        var inWord = false
        func flushCJK() {
            if let p = previousCJK { out.append(p); out.append(" ") }
            previousCJK = nil
        }
        for scalar in text.unicodeScalars {
            if isCJK(scalar) {
                if inWord { out.append(" "); inWord = false }
                if let p = previousCJK {
                    out.append(p)
                    out.append(scalar)
                    out.append(" ")
                }
                previousCJK = scalar
            } else if isWordScalar(scalar) {
                flushCJK()
                if scalar.isASCII {
                    // ASCII letters and digits (phone numbers, codes): lowercased without a
                    // Unicode property lookup and the string it returns.
                    let v = scalar.value
                    out.append(v >= 65 && v <= 90 ? Unicode.Scalar(UInt8(v + 32)) : scalar)
                } else {
                    for lower in scalar.properties.lowercaseMapping.unicodeScalars { out.append(lower) }
                }
                inWord = true
            } else {
                flushCJK()
                if inWord { out.append(" "); inWord = false }
            }
        }
        flushCJK()
        return out.string
    }

    /// An FTS5 MATCH expression for what a user typed, or nil when it holds nothing searchable.
    ///
    /// Whitespace-separated terms must all match; within a term, characters must be adjacent.
    public static func matchExpression(_ query: String) -> String? {
        let clauses = phrases(query).map { phrase in
            let quoted = "\"" + phrase.tokens.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return phrase.prefix ? quoted + " *" : quoted
        }
        return clauses.isEmpty ? nil : clauses.joined(separator: " AND ")
    }

    /// One term of a search: index tokens that must occur in a row, the last one as a prefix
    /// when `prefix`.
    struct Phrase {
        var tokens: [String]
        var prefix: Bool
    }

    /// The phrases of what a user typed, one per whitespace-separated term.
    static func phrases(_ query: String) -> [Phrase] {
        var out: [Phrase] = []
        for term in query.split(whereSeparator: { $0.isWhitespace }) {
            let tokens = indexText(String(term)).split(separator: " ").map(String.init)
            guard !tokens.isEmpty else { continue }
            // A CJK run of n ≥ 2 characters yields n-1 bigrams and a trailing single character;
            // the single character adds nothing to a phrase, so drop it unless it stands alone.
            // Inside a term the single character stays (the index has it at that position too).
            var phrase = tokens
            if phrase.count > 1, let last = phrase.last, last.unicodeScalars.count == 1, isCJK(last.unicodeScalars.first!),
               phrase[phrase.count - 2].unicodeScalars.count == 2, isCJK(phrase[phrase.count - 2].unicodeScalars.first!) {
                phrase.removeLast()
            }
            let last = phrase.last!
            out.append(Phrase(tokens: phrase, prefix: !(last.unicodeScalars.count == 2 && last.unicodeScalars.allSatisfy(isCJK))))
        }
        return out
    }

    /// Whether `text` matches what a user typed exactly as the full-text index would: every
    /// term's tokens in a row. Used to check a match against the fields a caller may see.
    public static func matches(_ query: String, text: String) -> Bool {
        let tokens = indexText(text).split(separator: " ")
        return phrases(query).allSatisfy { phrase in
            let n = phrase.tokens.count
            guard tokens.count >= n else { return false }
            return (0...(tokens.count - n)).contains { start in
                (0..<n).allSatisfy { i in
                    let token = tokens[start + i], wanted = phrase.tokens[i]
                    return i == n - 1 && phrase.prefix ? token.hasPrefix(wanted) : token == wanted
                }
            }
        }
    }

    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF, 0x20000...0x2FA1F,
             0x3040...0x30FF, 0xAC00...0xD7AF: return true
        default: return false
        }
    }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
        }
        return s.properties.isAlphabetic || s.properties.numericType != nil
    }
}
