import CRMKernel
import Foundation

/// Demo catalog for `crm init --demo`: a category tree, 30 products with specifications (one
/// T-shirt with 颜色 × 尺寸 variants, two services), two warehouses with stock, and three price
/// books (标准 with quantity breaks, VIP for grade A customers, 经销商 channel).
enum ProductDemo {
    /// (category path, code, name, specification, unit, list price yuan, cost yuan, tax rate, kind)
    static let catalog: [(String, String, String, String, String, Int, Int, String, String)] = [
        ("办公设备/打印机", "PR-100", "激光打印机 LP100", "A4 黑白 30页/分钟", "台", 1_899, 1_320, "13", ProductKind.stocked),
        ("办公设备/打印机", "PR-200", "彩色激光打印机 CP200", "A4 彩色 双面 网络", "台", 3_599, 2_580, "13", ProductKind.stocked),
        ("办公设备/打印机", "PR-300", "A3 数码复合机 MF300", "A3 复印/打印/扫描", "台", 12_800, 9_100, "13", ProductKind.stocked),
        ("办公设备/投影仪", "PJ-100", "商务投影仪 BP100", "3800 流明 1080P", "台", 3_299, 2_300, "13", ProductKind.stocked),
        ("办公设备/投影仪", "PJ-200", "激光投影仪 LP200", "5000 流明 4K", "台", 9_800, 7_200, "13", ProductKind.stocked),
        ("办公设备/会议设备", "MT-100", "视频会议终端 VC100", "4K 摄像头 全向麦克风", "套", 6_500, 4_100, "13", ProductKind.stocked),
        ("办公设备/会议设备", "MT-200", "智能会议平板 65 寸", "65 寸 触控 内置电脑", "台", 15_800, 11_200, "13", ProductKind.stocked),
        ("电脑/笔记本", "NB-100", "轻薄笔记本 14 寸", "i5 16G 512G", "台", 4_999, 3_900, "13", ProductKind.stocked),
        ("电脑/笔记本", "NB-200", "高性能笔记本 16 寸", "i7 32G 1T 独显", "台", 8_999, 7_100, "13", ProductKind.stocked),
        ("电脑/台式机", "PC-100", "商用台式机 D100", "i5 16G 512G 23.8 寸", "台", 4_299, 3_300, "13", ProductKind.stocked),
        ("电脑/台式机", "PC-200", "图形工作站 W200", "至强 64G 2T 专业显卡", "台", 19_800, 15_500, "13", ProductKind.stocked),
        ("电脑/显示器", "MN-100", "27 寸显示器", "2K IPS 75Hz", "台", 1_299, 950, "13", ProductKind.stocked),
        ("电脑/显示器", "MN-200", "32 寸 4K 显示器", "4K IPS Type-C", "台", 2_699, 1_980, "13", ProductKind.stocked),
        ("电脑/配件", "AC-100", "无线键鼠套装", "2.4G 静音", "套", 149, 85, "13", ProductKind.stocked),
        ("电脑/配件", "AC-200", "扩展坞 12 合 1", "Type-C 双 HDMI", "个", 399, 230, "13", ProductKind.stocked),
        ("电脑/配件", "AC-300", "降噪耳机", "主动降噪 蓝牙 5.3", "副", 899, 560, "13", ProductKind.stocked),
        ("耗材/硒鼓", "TN-100", "LP100 原装硒鼓", "约 3000 页", "个", 399, 210, "13", ProductKind.stocked),
        ("耗材/硒鼓", "TN-200", "CP200 彩色硒鼓四色套装", "约 2500 页/色", "套", 1_580, 960, "13", ProductKind.stocked),
        ("耗材/纸张", "PP-100", "A4 复印纸 70g", "500 张/包 5 包/箱", "箱", 129, 98, "13", ProductKind.stocked),
        ("耗材/纸张", "PP-200", "A3 复印纸 80g", "500 张/包 4 包/箱", "箱", 189, 140, "13", ProductKind.stocked),
        ("耗材/线材", "CB-100", "超五类网线", "305 米/箱", "米", 2, 1, "13", ProductKind.stocked),
        ("耗材/线材", "CB-200", "HDMI 2.1 线 3 米", "8K 镀金接口", "根", 79, 35, "13", ProductKind.stocked),
        ("网络设备", "NW-100", "千兆交换机 24 口", "24 口 千兆 可网管", "台", 1_680, 1_100, "13", ProductKind.stocked),
        ("网络设备", "NW-200", "企业级无线 AP", "Wi-Fi 6 吸顶", "台", 899, 580, "13", ProductKind.stocked),
        ("网络设备", "NW-300", "企业路由器", "双 WAN 多拨 VPN", "台", 1_299, 820, "13", ProductKind.stocked),
        ("服装/工服", "TS-100", "定制 T 恤", "纯棉 200g", "件", 59, 28, "13", ProductKind.stocked),
        ("服务/安装", "SV-100", "上门安装调试", "市区 4 小时内", "次", 300, 120, "6", ProductKind.service),
        ("服务/维保", "SV-200", "年度维保服务", "7×24 电话支持 季度巡检", "年", 5_000, 1_800, "6", ProductKind.service),
        ("软件", "SW-100", "协同办公软件 标准版", "50 用户 一年", "套", 9_900, 2_000, "6", ProductKind.service),
        ("软件", "SW-200", "杀毒软件企业版", "100 终端 一年", "套", 3_600, 1_500, "6", ProductKind.service),
    ]

    static func seed(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        var categories: [String: Int64] = [:]
        func category(_ path: String) throws -> Int64 {
            if let id = categories[path] { return id }
            let parts = path.split(separator: "/").map(String.init)
            let parent = parts.count > 1 ? try category(parts.dropLast().joined(separator: "/")) : nil
            var values: [String: Value] = ["name": .text(parts.last ?? path)]
            if let parent { values["parent"] = .integer(parent) }
            let id = try tx.create("product_category", values).id
            categories[path] = id
            return id
        }
        var products: [String: Int64] = [:]
        for (path, code, name, spec, unit, price, cost, tax, kind) in catalog {
            products[code] = try tx.create("product", [
                "code": .text(code), "name": .text(name), "category": .integer(try category(path)), "specification": .text(spec),
                "unit": .text(unit), "list_price": .decimal(Decimal(price)), "cost_price": .decimal(Decimal(cost)),
                "tax_rate": .text(tax), "kind": .text(kind), "decimal_quantity": .bool(unit == "米"),
                "description": .text("\(name)，\(spec)。"),
            ]).id
        }
        let shirt = products["TS-100"]!
        let variants = try Variants.generate(tx, parent: shirt, attributes: [Variants.Attribute("颜色", ["白", "黑", "蓝"]),
                                                                             Variants.Attribute("尺寸", ["M", "L", "XL"])],
                                             adjustments: ["XL": 500])
        let warehouses = [try tx.create("warehouse", ["code": .text("SZ"), "name": .text("深圳总仓"), "address": .text("深圳市南山区科技园")]).id,
                          try tx.create("warehouse", ["code": .text("SH"), "name": .text("上海仓"), "address": .text("上海市闵行区莘庄工业区")]).id]
        let stocked = catalog.filter { $0.8 == ProductKind.stocked && $0.1 != "TS-100" }.compactMap { products[$0.1] } + variants.map(\.id)
        for (i, product) in stocked.enumerated() {
            for (j, warehouse) in warehouses.enumerated() where (i + j) % 3 != 2 {
                let quantity = Int(demo.random.next() % 80) + 5
                try StockLedger.receive(tx, product: product, warehouse: warehouse, quantity: Decimal(quantity), note: "期初入库")
            }
        }
        try StockLedger.adjust(tx, product: products["PR-100"]!, warehouse: warehouses[0], delta: -1, reason: "盘点盘亏：样机损坏")
        try seedBooks(tx, products)
    }

    static func seedBooks(_ tx: WriteContext, _ products: [String: Int64]) throws {
        let standard = try tx.create("price_book", ["name": .text("标准价目表"), "applies_to": .text(PriceBookScope.everyone.rawValue),
                                                    "priority": .integer(0)]).id
        for code in ["PP-100", "PP-200", "TN-100", "AC-100", "CB-100"] {
            for (from, discount) in [(10, 5), (50, 10), (200, 15)] {
                try tx.create("price_book_entry", ["book": .integer(standard), "product": .integer(products[code]!),
                                                   "min_quantity": .decimal(Decimal(from)), "discount": .decimal(Decimal(discount))])
            }
        }
        let vip = try tx.create("price_book", ["name": .text("VIP 价目表"), "applies_to": .text(PriceBookScope.grade.rawValue), "grade": .text("A"),
                                               "priority": .integer(10), "discount": .decimal(8), "rounding": .text(PriceRounding.yuan.rawValue),
                                               "valid_from": .text("2026-01-01"), "valid_to": .text("2027-12-31")]).id
        try tx.create("price_book_entry", ["book": .integer(vip), "product": .integer(products["PR-300"]!), "min_quantity": .decimal(1), "price": .decimal(11_500)])
        try tx.create("price_book_entry", ["book": .integer(vip), "product": .integer(products["PR-300"]!), "min_quantity": .decimal(5), "price": .decimal(10_900)])
        try tx.create("price_book", ["name": .text("经销商价目表"), "applies_to": .text(PriceBookScope.channel.rawValue), "channel": .text("经销商"),
                                     "priority": .integer(5), "discount": .decimal(15), "rounding": .text(PriceRounding.jiao.rawValue)])
    }
}
