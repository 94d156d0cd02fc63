-- 项目型销售: a second opportunity pipeline for tendered projects, next to the stock one.
-- Opportunities with business_line = "项目" follow it; all others keep the stock stages.

crm.field("opportunity", "business_line", {
  type = "choice", label = "业务线", label_en = "Business line", options = { "标准产品", "项目" }, index = true,
})
crm.field("opportunity", "bid_deadline", { type = "date", label = "投标截止日", label_en = "Bid deadline" })
crm.field("opportunity", "bid_bond", { type = "money", label = "投标保证金", label_en = "Bid bond", min = 0 })

crm.stages("opportunity", {
  { name = "项目立项", label_en = "Project registered", probability = 5, max_days = 30 },
  { name = "资格预审", label_en = "Prequalification", probability = 20, max_days = 14 },
  { name = "投标", label_en = "Tendering", probability = 40, max_days = 10,
    requires = { "amount", "bid_deadline", "bid_bond" } },
  { name = "中标", label_en = "Awarded", probability = 100, won = true },
  { name = "未中标", label_en = "Not awarded", probability = 0, lost = true },
}, { pipeline = "project", when = { business_line = "项目" }, allow_back = false })
