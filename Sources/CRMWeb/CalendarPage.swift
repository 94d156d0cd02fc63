import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// `GET /calendar?month=2026-12` (or `?week=2026-12-07`): my tasks by due time and my planned
/// follow-ups, by day, in the workspace's time zone.
extension WebApp {
    func addCalendarRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/calendar") { request, _ in
            await self.page(request) { web, p in try self.calendarPage(web, p) }
        }
    }

    /// The items to show: (entity, field holding the time, field holding the user).
    static let calendarSources = [("task", "due_at", "assignee"), ("followup", "next_followup_at", "owner")]

    func calendarPage(_ web: WebRequest, _ p: Principal) throws -> Response {
        let lang = web.lang
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = FieldView.zone
        calendar.firstWeekday = 2
        let today = calendar.startOfDay(for: Date())
        let params = web.query
        let week = params["week"].flatMap { Self.day($0, calendar) }
        let month = params["month"].flatMap { Self.day($0 + "-01", calendar) } ?? calendar.date(from: calendar.dateComponents([.year, .month], from: today)) ?? today
        let start: Date, end: Date
        if let week {
            start = calendar.date(from: calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: week)) ?? week
            end = calendar.date(byAdding: .day, value: 7, to: start) ?? start
        } else {
            let first = calendar.date(from: calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: month)) ?? month
            start = first
            let monthEnd = calendar.date(byAdding: .month, value: 1, to: month) ?? month
            let days = calendar.dateComponents([.day], from: first, to: monthEnd).day ?? 35
            end = calendar.date(byAdding: .day, value: ((days + 6) / 7) * 7, to: first) ?? monthEnd
        }
        var items: [Date: [(String, String)]] = [:]
        if let uid = p.user.id {
            for (entity, timeField, userField) in Self.calendarSources where p.access.allows(.read, on: entity) {
                guard let schema = store.schema.entities[entity], schema.fieldsByName[timeField] != nil, schema.fieldsByName[userField] != nil,
                      !p.access.hiddenFields(entity).contains(timeField) else { continue }
                let filter = Filter.all([.eq(userField, .integer(uid)), .condition(field: timeField, op: .ge, value: .datetime(start)),
                                         .condition(field: timeField, op: .lt, value: .datetime(end))])
                var titles = TitleCache(store, p.access)
                for r in try store.find(Query(entity, filter: filter, sort: [SortKey(timeField)], limit: 300), as: p.access).records {
                    guard case .datetime(let at) = r[timeField] else { continue }
                    items[calendar.startOfDay(for: at), default: []].append(("/e/\(entity)/\(r.id)", FieldView.local(at).suffix(5) + " " + titles.title(entity, r.id)))
                }
            }
        }
        let fmt: (Date, String) -> String = { d, f in
            let c = calendar.dateComponents([.year, .month, .day], from: d)
            return f == "m" ? String(format: "%04d-%02d", c.year ?? 0, c.month ?? 0) : String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        }
        var h = HTML()
        h.raw("<div class=\"bar\"><h1>")
        h.text(lang.t("日历", "Calendar") + " " + (week == nil ? fmt(month, "m") : fmt(start, "d") + " " + lang.t("这一周", "week")))
        h.raw("</h1><nav class=\"pager\">")
        let prev = week == nil ? "?month=" + fmt(calendar.date(byAdding: .month, value: -1, to: month) ?? month, "m") : "?week=" + fmt(calendar.date(byAdding: .day, value: -7, to: start) ?? start, "d")
        let next = week == nil ? "?month=" + fmt(calendar.date(byAdding: .month, value: 1, to: month) ?? month, "m") : "?week=" + fmt(end, "d")
        let links: [(String, String)] = [(prev, lang.t("« 上一页", "« Previous")), ("?month=" + fmt(today, "m"), lang.t("月视图", "Month")), ("?week=" + fmt(today, "d"), lang.t("周视图", "Week")), (next, lang.t("下一页 »", "Next »"))]
        for (href, label) in links {
            h.link("<a", href: "/calendar" + href, label)
        }
        h.raw("</nav></div><table class=\"calendar\"><thead><tr>")
        for name in lang == .en ? ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] : ["一", "二", "三", "四", "五", "六", "日"] {
            h.raw("<th scope=\"col\">")
            h.text(name)
            h.raw("</th>")
        }
        h.raw("</tr></thead><tbody>")
        var day = start, column = 0
        while day < end {
            if column == 0 { h.raw("<tr>") }
            h.raw(day == today ? "<td class=\"today\"><span class=\"day\">" : "<td><span class=\"day\">")
            h.number(calendar.component(.day, from: day))
            h.raw("</span><ul>")
            for (href, label) in items[day] ?? [] {
                h.raw("<li>")
                h.link("<a", href: href, label)
                h.raw("</li>")
            }
            h.raw("</ul></td>")
            column += 1
            if column == 7 { h.raw("</tr>"); column = 0 }
            day = calendar.date(byAdding: .day, value: 1, to: day) ?? end
        }
        h.raw("</tbody></table>")
        return WebResponse.html(layout(web, p, title: lang.t("日历", "Calendar"), body: h))
    }

    static func day(_ text: String, _ calendar: Calendar) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}
