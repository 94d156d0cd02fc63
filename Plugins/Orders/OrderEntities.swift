import CRMKernel

/// The module's entities: `quote` (报价单, one record per version), `order` (订单/合同),
/// `order_line` (the lines of both, pointing at their quote or order) and `order_revision`
/// (the frozen copy of an approved order kept when a 变更 starts).
enum OrderEntities {
    /// Fields shared by quotes and orders: parties, discount and the computed totals (fen,
    /// written only by `OrderTotals.recompute`).
    static func documentFields() -> [FieldDefinition] {
        [
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), required: true, target: "customer"),
            FieldDefinition("contact", .reference, label: LocalizedText("联系人", en: "Contact"), target: "contact"),
            FieldDefinition("opportunity", .reference, label: LocalizedText("商机", en: "Opportunity"), target: "opportunity"),
            FieldDefinition("order_discount", .decimal, label: LocalizedText("整单折扣(%)", en: "Order discount (%)"), min: 0, max: 100, scale: 2),
            FieldDefinition("list_total", .money, label: LocalizedText("目录价合计", en: "List total")),
            FieldDefinition("subtotal", .money, label: LocalizedText("行金额合计", en: "Lines subtotal")),
            FieldDefinition("discount_amount", .money, label: LocalizedText("整单折扣额", en: "Order discount amount")),
            FieldDefinition("total", .money, label: LocalizedText("总金额(含税)", en: "Total (tax incl.)")),
            FieldDefinition("tax", .money, label: LocalizedText("税额", en: "Tax")),
            FieldDefinition("cost", .money, label: LocalizedText("成本", en: "Cost")),
            FieldDefinition("margin", .money, label: LocalizedText("毛利", en: "Gross margin")),
            FieldDefinition("discount_percent", .decimal, label: LocalizedText("综合折扣(%)", en: "Effective discount (%)"), scale: 2),
            FieldDefinition("margin_percent", .decimal, label: LocalizedText("毛利率(%)", en: "Margin (%)"), scale: 2),
            FieldDefinition("line_count", .integer, label: LocalizedText("行数", en: "Lines"), min: 0),
            FieldDefinition("team", .reference, label: LocalizedText("团队", en: "Team"), target: "team"),
        ]
    }

    /// 报价单: one record per version; a new version copies the lines and marks the old one
    /// `superseded` (read-only from then on).
    static var quote: EntityDefinition {
        EntityDefinition("quote", label: LocalizedText("报价单", en: "Quote"), titleField: "number", fields: [
            FieldDefinition("number", .text, label: LocalizedText("报价单号", en: "Quote number"), indexed: true, searchable: true, maxLength: 64),
            FieldDefinition("title", .text, label: LocalizedText("主题", en: "Title"), searchable: true, maxLength: 200),
            FieldDefinition("status", .choice, label: LocalizedText("状态", en: "Status")),
            FieldDefinition("doc_version", .integer, label: LocalizedText("版本", en: "Version"), min: 1),
            FieldDefinition("previous", .reference, label: LocalizedText("上一版本", en: "Previous version"), target: "quote"),
            FieldDefinition("superseded", .boolean, label: LocalizedText("已被新版本取代", en: "Superseded")),
            FieldDefinition("valid_until", .date, label: LocalizedText("有效期至", en: "Valid until")),
            FieldDefinition("notes", .longText, label: LocalizedText("备注", en: "Notes"), maxLength: 4000),
            FieldDefinition("order", .reference, label: LocalizedText("转成订单", en: "Order"), target: "order"),
        ] + documentFields(), indexes: [["customer", "doc_version"], ["opportunity"]])
    }

    /// 订单/合同.
    static var order: EntityDefinition {
        EntityDefinition("order", label: LocalizedText("订单", en: "Order"), titleField: "number", fields: [
            FieldDefinition("number", .text, label: LocalizedText("合同编号", en: "Contract number"), unique: true, searchable: true, maxLength: 64),
            FieldDefinition("title", .text, label: LocalizedText("合同名称", en: "Title"), searchable: true, maxLength: 200),
            FieldDefinition("status", .choice, label: LocalizedText("状态", en: "Status")),
            FieldDefinition("doc_version", .integer, label: LocalizedText("版本", en: "Version"), min: 1),
            FieldDefinition("quote", .reference, label: LocalizedText("来源报价单", en: "Quote"), target: "quote"),
            FieldDefinition("opportunity_amount", .money, label: LocalizedText("商机金额", en: "Opportunity amount")),
            FieldDefinition("signed_date", .date, label: LocalizedText("签约日期", en: "Signing date"), indexed: true),
            FieldDefinition("start_date", .date, label: LocalizedText("开始日期", en: "Start date")),
            FieldDefinition("end_date", .date, label: LocalizedText("结束日期", en: "End date"), indexed: true),
            FieldDefinition("our_signer", .user, label: LocalizedText("我方签约人", en: "Our signer")),
            FieldDefinition("their_signer", .text, label: LocalizedText("客户签约人", en: "Their signer"), maxLength: 64),
            FieldDefinition("payment_terms", .text, label: LocalizedText("付款条件", en: "Payment terms"), maxLength: 500),
            FieldDefinition("delivery_address", .text, label: LocalizedText("交货地址", en: "Delivery address"), maxLength: 500),
            FieldDefinition("attachments", .tags, label: LocalizedText("附件", en: "Attachments")),
            FieldDefinition("received", .money, label: LocalizedText("已回款", en: "Received")),
            FieldDefinition("outstanding", .money, label: LocalizedText("未回款", en: "Outstanding")),
            FieldDefinition("submitted_at", .datetime, label: LocalizedText("提交审批时间", en: "Submitted at")),
            FieldDefinition("approved_at", .datetime, label: LocalizedText("审批通过时间", en: "Approved at")),
            FieldDefinition("approval", .integer, label: LocalizedText("审批单", en: "Approval request")),
            FieldDefinition("change_reason", .text, label: LocalizedText("变更原因", en: "Change reason"), maxLength: 500),
            FieldDefinition("reject_reason", .text, label: LocalizedText("驳回意见", en: "Rejection comment"), maxLength: 500),
            FieldDefinition("void_reason", .text, label: LocalizedText("作废原因", en: "Void reason"), maxLength: 500),
            FieldDefinition("warehouse", .reference, label: LocalizedText("发货仓库", en: "Warehouse"), target: "warehouse"),
            FieldDefinition("stock_state", .text, label: LocalizedText("库存状态", en: "Stock state"), maxLength: 16),
        ] + documentFields(), indexes: [
            ["status", "signed_date", "owner", "total"],   // by month / rep, covering
            ["status", "end_date"],                        // contracts ending within N days
            ["customer", "status"],
        ])
    }

    /// 订单行 / 报价行: exactly one of `quote` and `order` is set.
    static var line: EntityDefinition {
        EntityDefinition("order_line", label: LocalizedText("订单行", en: "Order line"), titleField: "description", fields: [
            FieldDefinition("order", .reference, label: LocalizedText("订单", en: "Order"), target: "order"),
            FieldDefinition("quote", .reference, label: LocalizedText("报价单", en: "Quote"), target: "quote"),
            FieldDefinition("position", .integer, label: LocalizedText("行号", en: "Position"), min: 0),
            FieldDefinition("product", .reference, label: LocalizedText("产品", en: "Product"), target: "product"),
            FieldDefinition("category", .reference, label: LocalizedText("产品分类", en: "Category"), target: "product_category"),
            FieldDefinition("description", .text, label: LocalizedText("说明", en: "Description"), maxLength: 500),
            FieldDefinition("unit", .text, label: LocalizedText("单位", en: "Unit"), maxLength: 16),
            FieldDefinition("quantity", .decimal, label: LocalizedText("数量", en: "Quantity"), required: true, scale: 4),
            FieldDefinition("list_price", .money, label: LocalizedText("目录价", en: "List price"), min: 0),
            FieldDefinition("sales_price", .money, label: LocalizedText("销售单价", en: "Sales price"), min: 0),
            FieldDefinition("discount", .decimal, label: LocalizedText("折扣(%)", en: "Discount (%)"), scale: 2),
            FieldDefinition("tax_rate", .decimal, label: LocalizedText("税率(%)", en: "Tax rate (%)"), min: 0, max: 100, scale: 2),
            FieldDefinition("amount", .money, label: LocalizedText("行金额", en: "Line amount")),
            FieldDefinition("net_amount", .money, label: LocalizedText("分摊后金额", en: "Net amount")),
            FieldDefinition("tax", .money, label: LocalizedText("税额", en: "Tax")),
            FieldDefinition("unit_cost", .money, label: LocalizedText("单位成本", en: "Unit cost")),
            FieldDefinition("cost", .money, label: LocalizedText("成本", en: "Cost")),
            FieldDefinition("margin", .money, label: LocalizedText("毛利", en: "Margin")),
            FieldDefinition("price_trace", .longText, label: LocalizedText("定价过程", en: "Price trace"), maxLength: 4000),
            // Copied from the order so the sales-by-product report reads one table.
            FieldDefinition("date", .date, label: LocalizedText("签约日期", en: "Date")),
            FieldDefinition("counted", .boolean, label: LocalizedText("计入销售", en: "Counted in sales")),
            FieldDefinition("rep", .user, label: LocalizedText("销售人员", en: "Sales rep")),
            // Set while `OrderService.save` writes a batch of lines: the document is totalled once, after the batch.
            FieldDefinition("batch", .boolean, label: LocalizedText("批量写入中", en: "In a batch")),
        ], indexes: [["order", "position"], ["quote", "position"], ["counted", "date", "product", "quantity", "net_amount", "margin"]])
    }

    /// 订单版本: an approved order as it was before a 变更 (header and lines as JSON).
    static var revision: EntityDefinition {
        EntityDefinition("order_revision", label: LocalizedText("订单历史版本", en: "Order revision"), fields: [
            FieldDefinition("order", .reference, label: LocalizedText("订单", en: "Order"), required: true, target: "order"),
            FieldDefinition("doc_version", .integer, label: LocalizedText("版本", en: "Version"), required: true, min: 1),
            FieldDefinition("total", .money, label: LocalizedText("总金额", en: "Total")),
            FieldDefinition("status", .text, label: LocalizedText("状态", en: "Status"), maxLength: 32),
            FieldDefinition("approved_at", .datetime, label: LocalizedText("审批通过时间", en: "Approved at")),
            FieldDefinition("change_reason", .text, label: LocalizedText("变更原因", en: "Change reason"), maxLength: 500),
            FieldDefinition("snapshot", .longText, label: LocalizedText("快照", en: "Snapshot"), maxLength: 1_000_000),
        ], indexes: [["order", "doc_version"]])
    }
}
