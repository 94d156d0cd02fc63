-- Stock finance rules: approval flows of receipts, refunds, invoices and expense claims, how
-- payment terms become installments and how a receipt is spread over them.
-- A company changes any of this in its own pack (loaded after the stock packs).
-- Money here is integer fen (amount_fen, total_fen, open_fen): never a float.

-- 回款单: 财务 confirms every receipt; a refund (kind "refund", negative amount) also needs
-- the general manager (role admin).
crm.approvals.flow("payment", {
  steps = {
    { name = "财务确认", approver = { role = "finance" } },
    { name = "总经理审批（退款）", approver = { role = "admin" },
      when = function(p) return p.kind == "refund" end },
  },
})

-- 开票申请: 财务 reviews every request.
crm.approvals.flow("invoice", {
  steps = {
    { name = "财务审核", approver = { role = "finance" } },
  },
})

-- 费用报销 / 借款: the claimant's manager, then 财务; above 5,000 元 the general manager too.
crm.approvals.flow("expense", {
  steps = {
    { name = "部门经理审批", approver = "manager" },
    { name = "财务审核", approver = { role = "finance" } },
    { name = "总经理审批", approver = { role = "admin" },
      when = function(e) return (e.amount_fen or 0) > 500000 end },
  },
})

-- A percentage ("30", "12.5") as basis points (hundredths of a percent), in integers.
local function basis_points(text)
  local whole, frac = text:match("^(%d+)%.?(%d*)$")
  if not whole then return nil end
  if #frac > 2 then return nil end
  return tonumber(whole) * 100 + tonumber((frac .. "00"):sub(1, 2))
end

-- Payment terms → installments. "30 % 定金, 60 % 验收后, 10 % 质保金 12 个月后": each part
-- separated by , ， ; ； or 、 has a percentage and optionally an offset from the start date
-- ("12 个月后", "30 天后", "1 年后"). Percentages must total 100 %; every installment gets its
-- share rounded down to the fen and the last one takes the remainder.
crm.policy("finance.plan_terms", function(args)
  local parts = {}
  local terms = (args.terms or ""):gsub("％", "%%"):gsub("，", ","):gsub("；", ","):gsub("、", ","):gsub(";", ",")
  for part in terms:gmatch("[^,]+") do
    local text = part:gsub("^%s+", ""):gsub("%s+$", "")
    if text ~= "" then
      local pct = text:match("(%d+%.?%d*)%s*%%")
      if not pct then return { error = "「" .. text .. "」没有比例（如 30 %）" } end
      local bp = basis_points(pct)
      if not bp or bp <= 0 then return { error = "「" .. text .. "」的比例无效" } end
      local months, days = 0, 0
      local m = text:match("(%d+)%s*个月") ; if m then months = tonumber(m) end
      local y = text:match("(%d+)%s*年") ; if y then months = months + 12 * tonumber(y) end
      local d = text:match("(%d+)%s*天") ; if d then days = tonumber(d) end
      local name = text:gsub("%d+%.?%d*%s*%%", ""):gsub("%d+%s*个月后?", ""):gsub("%d+%s*年后?", "")
                       :gsub("%d+%s*天后?", ""):gsub("^%s+", ""):gsub("%s+$", "")
      parts[#parts + 1] = { name = name ~= "" and name or ("第" .. (#parts + 1) .. "期"), bp = bp, pct = pct,
                            months = months, days = days }
    end
  end
  if #parts == 0 then return { error = "没有找到付款比例" } end
  local sum = 0
  for _, p in ipairs(parts) do sum = sum + p.bp end
  if sum ~= 10000 then
    return { error = string.format("比例合计 %d.%02d %%，应为 100 %%", sum // 100, sum % 100) }
  end
  local out, given = {}, 0
  for i, p in ipairs(parts) do
    local amount = (i == #parts) and (args.total_fen - given) or (args.total_fen * p.bp // 10000)
    given = given + amount
    out[i] = { name = p.name, percent = p.pct, amount_fen = amount, months = p.months, days = p.days }
  end
  return out
end)

-- A receipt's allocation: the installment it names first, then the oldest due; a refund
-- (negative amount) takes back from the latest due first.
crm.policy("finance.allocate", function(args)
  local plans, out, left = {}, {}, args.amount_fen
  for _, p in ipairs(args.plans or {}) do plans[#plans + 1] = p end
  local function first(a, b)
    if args.plan and (a.id == args.plan) ~= (b.id == args.plan) then return a.id == args.plan end
    if a.due_date ~= b.due_date then return a.due_date < b.due_date end
    return a.id < b.id
  end
  if left > 0 then
    table.sort(plans, first)
    for _, p in ipairs(plans) do
      local take = math.min(left, p.open_fen)
      if take > 0 then
        out[#out + 1] = { plan = p.id, amount_fen = take }
        left = left - take
      end
    end
  elseif left < 0 then
    table.sort(plans, function(a, b) return first(b, a) end)
    for _, p in ipairs(plans) do
      local take = math.min(-left, p.received_fen)
      if take > 0 then
        out[#out + 1] = { plan = p.id, amount_fen = -take }
        left = left + take
      end
    end
  end
  return out
end)
