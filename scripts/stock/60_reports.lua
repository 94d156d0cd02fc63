-- Report templates. crm.report(name, spec) declares a report every surface runs the same way:
-- `crm report run NAME --param period=2026-11 --format xlsx|csv|pdf|table`,
-- GET /api/v1/reports/NAME/run?period=2026-11&format=pdf, the 报表 page, crm.report.run(NAME, {...}).
-- It runs under the caller's access: a 销售专员 sees only their own orders in it.
-- (A report on the entity of a disabled module lies dormant until the module is enabled.)

-- 销售业绩月报: per salesperson, the orders signed in the period, their amount, what was
-- collected and the collection rate (回款率 = 已回款 / 成交金额).
crm.report("sales_monthly", {
  title = { zh = "销售业绩月报", en = "Monthly sales performance" },
  entity = "order",
  params = {
    { name = "period", type = "period", default = "this_month", label = "期间", label_en = "Period" },
    { name = "team", type = "team", label = "团队", label_en = "Team" },
  },
  filters = {
    { "status", "in", { "已审批", "执行中", "已完成" } },
    { "signed_date", "$period" },
    { "owner", "$team" },
  },
  group_by = { { "owner", label = "员工姓名" } },
  measures = {
    { name = "orders", count = true, label = "订单数" },
    { name = "amount", sum = "total", label = "成交金额" },
    { name = "received", sum = "received", label = "已回款" },
    { name = "collection_rate", rate = { "received", "total" }, label = "回款率" },
    { name = "average", avg = "total", label = "平均订单金额" },
  },
  chart = { type = "bar", measure = "amount" },
  sort = "-amount",
  roles = { "sales_manager", "sales_rep", "finance" },
})
