-- Stock order and quote statuses, order rules and a price floor example.
-- A company changes any of this in its own pack (loaded after the stock packs).

-- 订单状态: 草稿 → 审批中 → 已审批 → 执行中 → 已完成, with 已驳回 and 作废.
-- An approved or executing order goes back to 草稿 only through a 变更 (crm.orders.change),
-- which keeps the approved version and must be approved again.
crm.stages("order", {
  { name = "草稿", label_en = "Draft", next = { "审批中", "作废" } },
  { name = "审批中", label_en = "Pending approval", next = { "已审批", "已驳回", "草稿" } },
  { name = "已审批", label_en = "Approved", next = { "执行中", "草稿", "作废" } },
  { name = "执行中", label_en = "In progress", next = { "已完成", "草稿", "作废" } },
  { name = "已驳回", label_en = "Rejected", next = { "草稿", "审批中", "作废" } },
  { name = "已完成", label_en = "Completed", won = true },
  { name = "作废", label_en = "Void", lost = true, requires = { "void_reason" } },
}, { field = "status", allow_back = false })

-- 报价单状态.
crm.stages("quote", {
  { name = "草稿", label_en = "Draft" },
  { name = "已发送", label_en = "Sent" },
  { name = "已接受", label_en = "Accepted", won = true },
  { name = "已拒绝", label_en = "Declined", lost = true },
}, { field = "status", allow_back = true, allow_skip = true })

-- Which stage plays which role, the locked stages and the rounding rule
-- ("line": every line rounded to the fen; "total": only the document total).
crm.orders.rules{
  rounding = "line",
  statuses = { draft = "草稿", submitted = "审批中", approved = "已审批", executing = "执行中",
               completed = "已完成", rejected = "已驳回", void = "作废" },
  locked = { "审批中", "已审批", "执行中", "已完成", "作废" },
}

-- Money compared in whole fen (integers), never as floats.
local function fen(amount)
  local text = tostring(amount)
  local sign, whole, frac = text:match("^(-?)(%d+)%.?(%d*)$")
  if not whole then return nil end
  local value = tonumber(whole) * 100 + tonumber(((frac or "") .. "00"):sub(1, 2))
  return sign == "-" and -value or value
end

-- 底价: a line's sales price may not fall below 70 % of the product's list price.
crm.on("order_line.before_save", function(line)
  if not line.product or not line.sales_price then return end
  local p = crm.get("product", line.product)
  local price, list = fen(line.sales_price), p and p.list_price and fen(p.list_price)
  if price and list and price * 10 < list * 7 then
    crm.reject("sales_price", "销售单价低于底价（目录价的 70%）")
  end
end)

-- 审批流: a step is added only when its condition holds (evaluated on the order as submitted;
-- discount_pct and margin_pct are percentages, amount_fen the total in fen). With no step left
-- the order is approved at once. "manager" is the owner's manager (or their team's manager).
crm.approvals.flow("order", {
  steps = {
    { name = "销售经理审批", approver = "manager",
      when = function(o) return tonumber(o.discount_pct or 0) > 20 end },
    { name = "财务审批", approver = { role = "finance" },
      when = function(o) return o.margin_pct ~= nil and tonumber(o.margin_pct) < 15 end },
    { name = "总经理审批", approver = { role = "admin" },
      when = function(o) return (o.amount_fen or 0) > 50000000 end },
  },
})

crm.form("order", {
  sections = {
    { title = { zh = "合同信息", en = "Contract" },
      fields = { "number", "title", "customer", "contact", "opportunity", "signed_date", "start_date", "end_date" } },
    { title = { zh = "签约与交付", en = "Signing and delivery" },
      fields = { "our_signer", "their_signer", "payment_terms", "delivery_address", "attachments" } },
    { title = { zh = "金额", en = "Amounts" },
      fields = { "order_discount", "total", "tax", "margin", "opportunity_amount", "received", "outstanding" } },
  },
  readonly = { "number", "total", "tax", "margin", "received", "outstanding" },
})
