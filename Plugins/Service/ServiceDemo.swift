import CRMKernel
import Foundation

/// Demo data: a service team of agents with skills, reply templates, a knowledge base with a
/// category tree, and a few hundred tickets in every status with their conversations, status
/// histories on the business calendar (some SLAs breached) and ratings.
enum ServiceDemo {
    /// The demo service manager and agents.
    static var users: [DemoUser] {
        [DemoUser(login: "zhouyan", displayName: "周燕", role: "service_manager", team: "客服部", phone: "13800138071"),
         DemoUser(login: "sunli", displayName: "孙丽", role: "service_agent", team: "客服部", phone: "13800138072"),
         DemoUser(login: "liuyang", displayName: "刘洋", role: "service_agent", team: "客服部", phone: "13800138073"),
         DemoUser(login: "hefang", displayName: "何芳", role: "service_agent", team: "客服部", phone: "13800138074")]
    }

    static let skills: [String: [String]] = ["sunli": ["安装调试", "使用咨询"], "liuyang": ["故障报修", "安装调试"], "hefang": ["账单发票", "使用咨询", "投诉建议"]]
    static let categories = ["安装调试", "故障报修", "使用咨询", "账单发票", "投诉建议"]
    static let subjects = ["设备安装后无法开机", "空压机运行噪音大", "发票抬头开错需要重开", "变频器报警代码E07", "如何设置定时启停",
                           "配件发货延迟", "售后工程师上门时间", "冷干机排水异常", "对服务态度不满意", "PLC程序升级咨询"]

    static func seed(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        guard let manager = demo.users["zhouyan"] else { return }
        let agents = ["sunli", "liuyang", "hefang"].compactMap { login in demo.users[login].map { (login, $0) } }
        if let team = try tx.reader.system.ids("team", where: "name", equals: .text("客服部"), limit: 1).first {
            _ = try tx.update("team", team, ["manager": .integer(manager)])
        }
        for (login, id) in agents {
            _ = try tx.update("user", id, ["service_skills": .list(skills[login] ?? []), "service_available": .bool(true), "manager": .integer(manager)])
        }
        let team = try tx.reader.system.ids("team", where: "name", equals: .text("客服部"), limit: 1).first
        try seedKnowledge(tx, owner: manager)
        for (i, body) in ["您好{{contact}}，您的工单 {{number}}（{{subject}}）已收到，我们会尽快处理。——{{agent}}",
                          "您好，工程师将在两个工作日内联系您预约上门时间。工单号：{{number}}。",
                          "您好，发票已按正确抬头重新开具，请查收邮件。如有问题请回复本邮件。"].enumerated() {
            _ = try tx.create("reply_template", ["name": .text(["受理确认", "上门预约", "发票重开"][i]), "body": .text(body),
                                                 "team": team.map(Value.integer) ?? .null, "owner": .integer(manager)])
        }
        let contacts = try tx.reader.system.find(Query("contact", sort: [SortKey("id")], limit: 40)).records
        guard !contacts.isEmpty, !agents.isEmpty else { return }
        let statuses = ServiceRules.inForce(tx.schema).statuses
        let calendar = try tx.reader.workspaceCalendar()
        let clock = BusinessClock(try tx.schema.businessCalendar(SLAPolicies.inForce(tx.schema).calendar), zone: calendar.timeZone)
        for i in 0..<300 {
            let contact = contacts[i % contacts.count]
            let (login, agent) = agents[i % agents.count]
            let status = statusFor(i, statuses)
            // Opened 1 to 60 days ago, during working hours.
            let opened = try clock.adding(workingSeconds: 3600 + (i * 7919) % 20_000, to: tx.now.addingTimeInterval(-Double(1 + i % 60) * 86_400))
            let category = (skills[login] ?? categories).randomElement(using: &demo.random) ?? "使用咨询"
            let priority = ServiceEntities.priorities[i % 7 == 0 ? 0 : (i % 3) + 1]
            let ticket = try tx.create("ticket", [
                "subject": .text(subjects[i % subjects.count]), "description": .text("客户反馈：" + subjects[i % subjects.count] + "，请尽快处理。"),
                "customer": contact["customer"], "contact": .integer(contact.id), "channel": .text(ServiceEntities.channels[i % 5]),
                "category": .text(category), "priority": .text(priority), "status": .text(status), "assignee": .integer(agent),
                "team": team.map(Value.integer) ?? .null, "owner": .integer(agent),
                "invalid_reason": status == statuses.invalid ? .text("重复咨询，已在其他工单处理") : .null,
            ])
            try history(tx, ticket: ticket, opened: opened, status: status, statuses: statuses, index: i, agent: agent, clock: clock)
            if status == statuses.closed, i % 3 != 0 {
                _ = try tx.create("ticket_rating", ["ticket": .integer(ticket.id), "agent": .integer(agent), "team": team.map(Value.integer) ?? .null,
                                                    "score": .integer(Int64([5, 5, 4, 3, 5, 4, 2, 5][i % 8])), "nonce": .text(Ratings.randomHex(16)),
                                                    "asked_at": .datetime(opened), "expires_at": .datetime(opened.addingTimeInterval(14 * 86_400)),
                                                    "rated_at": .datetime(opened.addingTimeInterval(2 * 86_400)), "owner": .integer(agent)])
            }
        }
    }

    static func statusFor(_ i: Int, _ s: ServiceStatus) -> String {
        switch i % 20 {
        case 0, 1: return s.assigned
        case 2, 3, 4: return s.working
        case 5: return s.waitingCustomer
        case 6: return s.waitingThirdParty
        case 7, 8: return s.solved
        case 9: return s.invalid
        default: return s.closed
        }
    }

    /// The ticket's past: statuses at working-time steps after `opened`, a message in, a reply
    /// out, the solved time and its SLA figures. Older tickets answered slowly breach.
    static func history(_ tx: WriteContext, ticket: Record, opened: Date, status: String, statuses: ServiceStatus, index i: Int,
                        agent: Int64, clock: BusinessClock) throws {
        let slow = i % 9 == 0
        var path = [statuses.assigned]
        if status != statuses.assigned && status != statuses.invalid { path.append(statuses.working) }
        if status == statuses.waitingCustomer || status == statuses.waitingThirdParty { path.append(status) }
        if status == statuses.solved || status == statuses.closed { path.append(statuses.solved) }
        if status == statuses.closed || status == statuses.invalid { path.append(status) }
        let step = slow ? 9 * 3600 : 1800 + (i % 5) * 600
        var at = opened, times: [Date] = []
        for _ in path { times.append(at); at = try clock.adding(workingSeconds: step, to: at) }
        let existing = try tx.reader.system.find(Query("ticket_status", filter: .eq("ticket", .integer(ticket.id)), limit: 5)).records
        for row in existing { try tx.delete("ticket_status", row.id) }
        for (k, s) in path.enumerated() {
            _ = try tx.create("ticket_status", ["ticket": .integer(ticket.id), "status": .text(s), "from_status": k > 0 ? .text(path[k - 1]) : .null,
                                                "at": .datetime(times[k]), "moved_by": .integer(agent), "owner": .null])
        }
        _ = try tx.create("ticket_message", ["ticket": .integer(ticket.id), "direction": .text("in"), "body": ticket["description"], "at": .datetime(opened), "owner": .integer(agent)])
        var changes: [String: Value] = [:]
        if path.count > 1 {
            changes["first_response_at"] = .datetime(times[1])
            _ = try tx.create("ticket_message", ["ticket": .integer(ticket.id), "direction": .text("out"), "body": .text("您好，已收到您的问题，正在处理。"),
                                                 "at": .datetime(times[1]), "author": .integer(agent), "delivery": .text("已发送"), "owner": .integer(agent)])
        }
        if let k = path.firstIndex(of: statuses.solved) { changes["solved_at"] = .datetime(times[k]) }
        if status == statuses.closed, let last = times.last { changes["closed_at"] = .datetime(last) }
        guard !changes.isEmpty else { return }
        _ = try tx.update("ticket", ticket.id, changes)
        if changes["solved_at"] != nil, let t = try tx.reader.system.get("ticket", ticket.id) {
            let state = try SLAClock.state(tx.reader, ticket: t, now: tx.now)
            _ = try tx.update("ticket", ticket.id, ["sla_response_seconds": state.response.map { .integer(Int64($0.elapsed)) } ?? .null,
                                                    "sla_resolution_seconds": state.resolution.map { .integer(Int64($0.elapsed)) } ?? .null,
                                                    "sla_breached": state.policy == nil ? .null : .bool(state.overall == "breached")])
        }
    }

    static func seedKnowledge(_ tx: WriteContext, owner: Int64) throws {
        let root = try tx.create("kb_category", ["name": .text("产品使用"), "owner": .integer(owner)]).id
        let install = try tx.create("kb_category", ["name": .text("安装调试"), "parent": .integer(root), "owner": .integer(owner)]).id
        let faults = try tx.create("kb_category", ["name": .text("故障排查"), "parent": .integer(root), "owner": .integer(owner)]).id
        let billing = try tx.create("kb_category", ["name": .text("账单与发票"), "owner": .integer(owner)]).id
        let articles: [(String, String, Int64, String)] = [
            ("设备安装后无法开机的排查步骤", "检查电源电压、急停按钮是否复位、控制柜空开是否合上。", install, "已发布"),
            ("空压机噪音大的常见原因", "皮带松动、轴承磨损、进气过滤器堵塞都会导致噪音增大。", faults, "已发布"),
            ("变频器报警代码一览", "E07 表示过电流，请检查电机接线与负载；E08 表示过电压。", faults, "已发布"),
            ("冷干机排水异常处理", "清理自动排水器滤网，检查排水电磁阀。", faults, "已发布"),
            ("如何申请发票重开", "在工单中注明正确抬头与税号，财务将在3个工作日内重开。", billing, "已发布"),
            ("定时启停设置方法", "在控制面板进入 设置 → 定时，设置每日启停时间。", install, "审核中"),
            ("PLC程序升级说明", "升级前备份程序，使用编程软件下载新版本。", install, "草稿"),
            ("旧版控制器停产说明", "2024 年起旧版控制器停止供货，请联系销售更换。", root, "已归档"),
        ]
        for (k, a) in articles.enumerated() {
            _ = try tx.create("kb_article", ["title": .text(a.0), "body": .text(a.1), "category": .integer(a.2), "status": .text(a.3),
                                             "helpful": .integer(Int64(10 - k)), "not_helpful": .integer(Int64(k % 3)), "owner": .integer(owner)])
        }
    }
}
