-- Stock payroll rules: commission plans, the 个税 table, 社保/公积金 per city and the approval
-- flow of payroll runs. A company changes any of this in its own pack (loaded after this one).

-- Commission plans, named; commission_rule records assign a plan to people from a date.
-- Money in fen, rates in basis points (300 = 3 %). See lib/commission.lua for the types.
crm.payroll.plans{
  flat_sales = { type = "flat", base = "amount", rate = 300 },
  margin_share = { type = "flat", base = "margin", rate = 1000 },
  product_rates = { type = "rates", base = "amount", default = 200, categories = { ["软件"] = 500, ["服务"] = 800 } },
  sales_slab = { type = "tiered", base = "amount", mode = "slab",
                 tiers = { { upto = 5000000, rate = 200 }, { upto = 20000000, rate = 300 }, { rate = 500 } } },
  -- 回款提成: commission on receipts, each band at its own rate.
  receipts_marginal = { type = "tiered", base = "receipt", mode = "marginal",
                        tiers = { { upto = 5000000, rate = 200 }, { upto = 20000000, rate = 300 }, { rate = 500 } } },
  -- The same with an accelerator above the month's 回款 target.
  receipts_accelerated = { type = "tiered", base = "receipt", mode = "marginal",
                           tiers = { { upto = 5000000, rate = 200 }, { upto = 20000000, rate = 300 }, { rate = 500 } },
                           accelerator = { target = "receipts", rate = 200, stretch_rate = 300 } },
}

crm.policy("payroll.commission", require("lib.commission").compute)

-- 个人所得税 综合所得 预扣率表一 (居民个人工资、薪金所得预扣预缴), in fen: cumulative taxable
-- income above `over` up to `upto`, rate in percent, quick deduction (速算扣除数).
crm.payroll.tax{
  monthly_threshold = 500000,   -- 基本减除费用 5,000 元/月 (60,000 元/年)
  brackets = {
    { over = 0,        upto = 3600000,  rate = 3,  quick = 0 },
    { over = 3600000,  upto = 14400000, rate = 10, quick = 252000 },
    { over = 14400000, upto = 30000000, rate = 20, quick = 1692000 },
    { over = 30000000, upto = 42000000, rate = 25, quick = 3192000 },
    { over = 42000000, upto = 66000000, rate = 30, quick = 5292000 },
    { over = 66000000, upto = 96000000, rate = 35, quick = 8592000 },
    { over = 96000000,                  rate = 45, quick = 18192000 },
  },
}

-- 社保 (养老+医疗+失业+工伤+生育) and 公积金 rates (basis points) and base limits (fen) per city.
crm.payroll.insurance{
  default = { insurance = { employee = 1050, employer = 2550, min = 400000, max = 3000000 },
              fund = { employee = 500, employer = 500, min = 400000, max = 3000000 } },
  ["深圳"] = { insurance = { employee = 1030, employer = 1570, min = 236000, max = 2738700 },
               fund = { employee = 500, employer = 500, min = 236000, max = 4138800 } },
  ["上海"] = { insurance = { employee = 1050, employer = 2600, min = 731000, max = 3655900 },
               fund = { employee = 700, employer = 700, min = 269000, max = 3655900 } },
}

-- 审批: a run in 核算完成 goes to the general manager (an administrator).
crm.approvals.flow("payroll_run", {
  steps = {
    { name = "总经理审批", approver = { role = "admin" } },
  },
})
