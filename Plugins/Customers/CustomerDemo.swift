import CRMKernel
import Foundation

/// Realistic Chinese sample data for the customers module.
public enum CustomerDemo {
    static let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"]
    static let givenNames = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "建华", "志强", "晓东"]
    static let cities = [("广东", "深圳"), ("广东", "广州"), ("上海", "上海"), ("北京", "北京"), ("浙江", "杭州"), ("江苏", "苏州"), ("四川", "成都"), ("湖北", "武汉")]
    static let cores = ["华信", "中科", "恒远", "鼎盛", "天成", "瑞丰", "博雅", "金石", "万通", "新锐", "东方", "海纳", "云帆", "正泰", "凯达", "星河"]
    static let kinds = ["科技", "贸易", "制造", "电子", "物流", "医疗器械", "建材", "软件", "食品", "教育咨询"]
    /// Industries offered by the stock script pack.
    public static let industries = ["制造业", "零售业", "服务业", "信息技术", "金融", "房地产", "教育", "医疗健康"]
    /// Sources offered by the stock script pack.
    public static let sources = ["展会推荐", "线上推广", "客户转介绍", "电话营销", "官网咨询", "老客户复购"]

    /// The demo sales team (华南销售部): a manager and two reps.
    static var users: [DemoUser] {
        [("zhangwei", "张伟", "sales_manager"), ("lina", "李娜", "sales_rep"), ("wangqiang", "王强", "sales_rep")].map { login, name, role in
            DemoUser(login: login, displayName: name, role: role, team: "华南销售部", phone: samplePhone(login))
        }
    }

    /// A stable mobile number for a demo login.
    static func samplePhone(_ login: String) -> String {
        "1380013" + String(format: "%04d", abs(login.unicodeScalars.reduce(0) { $0 &* 31 &+ Int($1.value) }) % 10_000)
    }

    /// A person's name.
    public static func personName(_ r: inout SeededRandom) -> String {
        surnames.randomElement(using: &r)! + givenNames.randomElement(using: &r)!
    }

    /// A company name such as 深圳华信科技有限公司.
    public static func companyName(_ r: inout SeededRandom, city: String) -> String {
        city + cores.randomElement(using: &r)! + kinds.randomElement(using: &r)! + ["有限公司", "股份有限公司", "有限责任公司"].randomElement(using: &r)!
    }

    /// A mainland mobile number.
    public static func mobile(_ r: inout SeededRandom) -> String {
        let prefix = ["138", "139", "186", "187", "135", "159", "177", "199"].randomElement(using: &r)!
        return prefix + String(format: "%08d", Int.random(in: 0..<100_000_000, using: &r))
    }

    /// Fields of a plausible customer.
    public static func customerValues(_ r: inout SeededRandom, options: (industries: [String], sources: [String])? = nil) -> [String: Value] {
        let (province, city) = cities.randomElement(using: &r)!
        return [
            "name": .text(companyName(&r, city: city)),
            "contact_name": .text(personName(&r)),
            "phone": .text(mobile(&r)),
            "industry": .text((options?.industries ?? industries).randomElement(using: &r)!),
            "source": .text((options?.sources ?? sources).randomElement(using: &r)!),
            "grade": .text(["A", "B", "C", "D"].randomElement(using: &r)!),
            "lifecycle": .text(["潜在", "意向", "成交", "流失"].randomElement(using: &r)!),
            "province": .text(province),
            "city": .text(city),
            "tags": .list(Array(["重点客户", "华南区", "老客户", "高意向", "待回访"].shuffled(using: &r).prefix(Int.random(in: 0...2, using: &r)))),
        ]
    }

    static func seed(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        let owners = demo.users.values.sorted()
        let industryField = tx.schema.entities["customer"]?.fieldsByName["industry"]
        let sourceField = tx.schema.entities["customer"]?.fieldsByName["source"]
        let opts = (industryField?.options.map(\.value).nonEmpty ?? industries, sourceField?.options.map(\.value).nonEmpty ?? sources)
        for i in 0..<40 {
            var values = customerValues(&demo.random, options: opts)
            values["owner"] = i % 5 == 4 || owners.isEmpty ? .null : .integer(owners[i % owners.count])
            values["entry_date"] = .text("2026-\(String(format: "%02d", 1 + i % 10))-\(String(format: "%02d", 1 + i % 27))")
            // A few were assigned long ago and never followed up: the pool's auto-reclaim returns them.
            if i % 8 == 1 { values["assigned_at"] = .datetime(tx.now.addingTimeInterval(-100 * 86_400)) }
            let customer = try tx.create("customer", values)
            try tx.create("contact", ["customer": .integer(customer.id), "name": values["contact_name"]!, "phone": values["phone"]!,
                                      "title": .text(["总经理", "采购经理", "技术总监", "财务主管"].randomElement(using: &demo.random)!),
                                      "is_primary": .bool(true), "owner": values["owner"]!])
            if i % 2 == 0 {
                try tx.create("followup", ["customer": .integer(customer.id), "type": .text(["电话", "拜访", "微信"].randomElement(using: &demo.random)!),
                                           "subject": .text("初次沟通"), "content": .text("介绍产品方案，客户对价格比较关注，约定下周再联系。"),
                                           "followed_at": .datetime(Date(timeIntervalSince1970: 1_780_000_000 + Double(i) * 86_400)),
                                           "owner": values["owner"]!])
            }
            if i < 3, case .integer(let owner) = values["owner"]! {
                // Due in 5 minutes (reminder due now), tomorrow, and yesterday (已逾期).
                let due = tx.now.addingTimeInterval([5 * 60, 86_400, -86_400][i])
                try tx.create("task", ["title": .text(["回访确认报价", "准备合同草案", "寄送样品"][i]), "customer": .integer(customer.id),
                                       "assignee": .integer(owner), "owner": .integer(owner), "priority": .text(["高", "中", "低"][i]),
                                       "due_at": .datetime(due)])
            }
        }
    }
}

extension Array {
    /// nil when empty.
    var nonEmpty: [Element]? { isEmpty ? nil : self }
}
