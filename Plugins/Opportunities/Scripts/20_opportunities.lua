-- Stock sales stages: 初步接触 → 需求确认 → 方案制定 → 合同谈判 → 赢单 / 输单.
-- A stage gate lists the fields needed to enter a stage; 输单 needs a reason.

crm.field("opportunity", "decision_maker", {
  type = "text", label = "决策人", label_en = "Decision maker", max_length = 64,
})

crm.stages("opportunity", {
  { name = "初步接触", label_en = "Initial contact", probability = 10, max_days = 14 },
  { name = "需求确认", label_en = "Needs confirmed", probability = 30, max_days = 21 },
  { name = "方案制定", label_en = "Proposal", probability = 50, max_days = 21 },
  { name = "合同谈判", label_en = "Negotiation", probability = 80, max_days = 30,
    requires = { "amount", "expected_close_date", "decision_maker" } },
  { name = "赢单", label_en = "Won", probability = 100, won = true },
  { name = "输单", label_en = "Lost", probability = 0, lost = true, requires = { "loss_reason" } },
}, { field = "stage", allow_back = true })

crm.form("opportunity", {
  sections = {
    { title = { zh = "商机信息", en = "Opportunity" }, fields = { "name", "customer", "contact", "amount", "expected_close_date" } },
    { title = { zh = "销售进展", en = "Progress" }, fields = { "stage", "probability", "decision_maker", "next_step", "competitor", "loss_reason" } },
  },
  shown_when = { loss_reason = { stage = "输单" } },
})
