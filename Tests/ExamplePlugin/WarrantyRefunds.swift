import CRMKernel
import Foundation

/// `warranty_refund`: a refund paid on a claim, numbered from the module's sequence and approved
/// through the kernel's approval engine — the example of how a document module (orders, receipts,
/// invoices, expenses) plugs into both shared services.
enum WarrantyRefunds {
    /// The statuses a refund goes through; the approval engine moves it between them.
    static let statuses = ["草稿", "审批中", "已审批", "已驳回", "已撤回"]

    /// The refund entity.
    static var entity: EntityDefinition {
        EntityDefinition("warranty_refund", label: LocalizedText("保修退款", en: "Warranty refund"), titleField: "number", fields: [
            FieldDefinition("number", .text, label: LocalizedText("编号", en: "Number"), unique: true, maxLength: 64),
            FieldDefinition("claim", .reference, label: LocalizedText("保修申请", en: "Claim"), target: "warranty_claim"),
            FieldDefinition("amount", .money, label: LocalizedText("金额", en: "Amount"), required: true, min: 0),
            FieldDefinition("cost", .money, label: LocalizedText("成本", en: "Cost"), min: 0),
            FieldDefinition("discount_pct", .decimal, label: LocalizedText("折扣%", en: "Discount %"), min: 0, max: 100, scale: 2),
            FieldDefinition.choice("status", label: LocalizedText("状态", en: "Status"), statuses, defaultValue: "草稿"),
        ])
    }

    /// `warranty_refund` numbers: `WR-{yyyyMMdd}-{seq:4}` unless the company sets another pattern.
    static var sequence: SequenceDeclaration {
        SequenceDeclaration("warranty_refund", defaultPattern: "WR-{yyyyMMdd}-{seq:4}", summary: "保修退款编号")
    }

    /// Numbers a new refund from the sequence, in its creating transaction.
    static var numbering: BeforeSaveHook {
        { ctx in
            guard ctx.operation == .create, ctx.values["number"] == nil || ctx.values["number"] == .null else { return }
            ctx.values["number"] = .text(try ctx.tx.nextNumber("warranty_refund"))
        }
    }

    /// Refunds as an approval document type: a `margin_pct` fact for the conditions, and the status
    /// moved 草稿 → 审批中 → 已审批 / 已驳回 / 已撤回. Only a draft (or a rejected or withdrawn
    /// refund) can be submitted.
    static var approvalDocument: ApprovalDocumentType {
        ApprovalDocumentType("warranty_refund", facts: { _, refund in
            guard case .decimal(let amount) = refund["amount"], amount > 0 else { return [:] }
            var cost = Decimal(0)
            if case .decimal(let c) = refund["cost"] { cost = c }
            var margin = (amount - cost) * 100 / amount
            var rounded = Decimal()
            NSDecimalRound(&rounded, &margin, 2, .plain)
            return ["margin_pct": .decimal(rounded)]
        }) { change in
            let next: String
            switch change.kind {
            case .submitted:
                let status = try change.tx.reader.get("warranty_refund", change.recordID)?["status"].textValue
                guard status == "草稿" || status == "已驳回" || status == "已撤回" else {
                    throw KernelError.invalid("warranty_refund", field: "status", "only a draft refund can be submitted (it is \(status ?? "unknown"))")
                }
                next = "审批中"
            case .approved: next = "已审批"
            case .rejected: next = "已驳回"
            case .withdrawn: next = "已撤回"
            }
            try change.tx.update("warranty_refund", change.recordID, ["status": .text(next)])
        }
    }
}
