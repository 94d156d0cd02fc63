import CRMKernel
import Foundation

/// The printable payslip (zh-CN HTML, every value escaped, items with zero value left out):
/// `GET /api/v1/modules/payroll/payslips/{id}/print`; only those who see the payslip (its
/// employee, 财务) get it.
enum PayslipPrint {
    static var routes: [PluginRoute] {
        [PluginRoute(.get, "payslips/:payslip/print", summary: "The printable payslip (HTML, zh-CN)",
                     audience: .signedIn(requires: FunctionAccess(entity: "payslip", action: .read))) { request in
            let slip = try request.visibleRecord("payslip", try request.id("payslip"))
            let html = try request.store.read { reader in render(slip, name: try slip["user"].integerValue.flatMap { try reader.get("user", $0) }) }
            return .file(Data(html.utf8), contentType: "text/html; charset=utf-8", fileName: "payslip-\(slip.id).html")
        }]
    }

    /// The HTML page of a payslip.
    static func render(_ slip: Record, name: Record?) -> String {
        var rows = ""
        for (field, zh, _) in PayrollEntities.payslipMoney.prefix(13) where Fen.of(slip[field]) != 0 {
            rows += "<tr><th>\(escape(zh))</th><td class=n>\(escape(MoneyText.yuan(Fen.of(slip[field]))))</td></tr>\n"
        }
        let person = name.map { ($0["display_name"].isEmpty ? $0["name"] : $0["display_name"]).description } ?? ""
        return """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8"><title>工资条 \(escape(slip["period"].description))</title>
        <style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 10px;text-align:left}.n{text-align:right}</style></head>
        <body><h1>工资条</h1>
        <p>员工：\(escape(person))　月份：\(escape(slip["period"].description))　类型：\(escape(slip["kind"].description))</p>
        <table><tbody>
        \(rows)</tbody></table>
        </body></html>
        """
    }

    /// HTML-escapes text.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
