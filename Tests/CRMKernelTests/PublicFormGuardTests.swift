import Foundation
import Testing
@testable import CRMKernel

/// The checks public forms apply to what a visitor posts.
struct PublicFormGuardTests {
    @Test func markupIsALessThanSignBeforeALetterSlashOrBang() {
        for html in ["<b>hi</b>", "a<script>", "</div>", "<!-- x -->", "文字<A href=x>", "<z", "x <Y"] {
            #expect(PublicFormGuard.looksLikeHTML(html), "\(html)")
        }
        for plain in ["", "a < b", "1<2", "<", "x<", "<<", "< b", "<中文>", "＜b＞", "张伟 13800138000", "a<=b", "<-"] {
            #expect(!PublicFormGuard.looksLikeHTML(plain), "\(plain)")
        }
        // The same answers as the regular expression it replaces.
        for text in ["<b", "<1", "<_", "<[", "<@", "<`", "<{", "<é", "a<\u{0301}b", "<Z", "<a"] {
            #expect(PublicFormGuard.looksLikeHTML(text) == (text.range(of: "<[a-zA-Z/!]", options: .regularExpression) != nil), "\(text)")
        }
    }
}
