import Foundation
import Testing
@testable import CRMWeb

/// The byte-level pieces pages are built from give what Foundation gave before them: the
/// query-string coding (`FormBody`) and HTML escaping, over ASCII, Chinese, emoji, reserved
/// characters and malformed escapes.
@Suite struct PageTextTests {
    static let samples = [
        "", "abc", "A-Z_a.z~09", "深圳", "北京 上海", "a+b c", "x=1&y=2", "100%", "%E4%B8%AD", "%e4%b8%ad",
        "%zz", "%4", "%", "%C3", "%C3%28", "é", "🚀 launch", "<b>\"x\"&'y'</b>", "f.city=深圳&sort=-id", "/e/customer?q=a b",
        "tab\there", "line\nbreak", "+++", "%2B%20+", "\u{0}", "ZÜRICH", "🙂%F0%9F%99%82",
    ]

    @Test func encodingMatchesFoundation() {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        for s in Self.samples {
            #expect(FormBody.encode(s) == s.addingPercentEncoding(withAllowedCharacters: allowed), "\(s)")
        }
    }

    @Test func decodingMatchesFoundation() {
        for s in Self.samples {
            let spaced = s.replacingOccurrences(of: "+", with: " ")
            #expect(FormBody.decode(Substring(s)) == (spaced.removingPercentEncoding ?? spaced), "\(s)")
        }
    }

    @Test func encodeThenParseGivesTheValuesBack() {
        var form = FormBody("")
        for (i, s) in Self.samples.enumerated() { form.set("k\(i)", s) }
        let again = FormBody(form.encoded)
        for (i, s) in Self.samples.enumerated() { #expect(again["k\(i)"] == s) }
    }

    @Test func escapingReplacesTheFiveAndKeepsEverythingElse() {
        for s in Self.samples {
            var expected = ""
            for ch in s.unicodeScalars {
                switch ch {
                case "&": expected += "&amp;"
                case "<": expected += "&lt;"
                case ">": expected += "&gt;"
                case "\"": expected += "&quot;"
                case "'": expected += "&#39;"
                default: expected.unicodeScalars.append(ch)
                }
            }
            #expect(HTML.escape(s) == expected)
            var h = HTML()
            h.raw("<p")
            h.attr("title", s)
            h.raw(">")
            h.text(s)
            h.raw("</p>")
            #expect(h.output == "<p title=\"\(expected)\">\(expected)</p>")
            #expect(h.bytes == Array(h.output.utf8))
        }
    }
}
