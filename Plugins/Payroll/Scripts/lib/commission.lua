-- Stock commission plans for crm.policy("payroll.commission", ...). Pure functions: they read
-- nothing and write nothing; everything comes in the argument and money is whole fen (integers).
--
-- The argument: { plan = {name =, type =, ...parameters}, period = "2026-11", user = id,
--   entries = {{id, kind, base = "sales"|"receipt", date, amount = fen, margin = fen,
--               product, product_name, category, category_name, order, customer, reason}, ...},
--   targets = {sales = {target = fen, stretch = fen, challenge = fen}, receipts = {...}, ...} }
-- The answer: { lines = {{label =, amount = fen, explain =, clawback = reason (only for a
--   negative line)}, ...} }.
--
-- Plan types (parameters; rates in basis points, 万分之一: 300 = 3 %):
--   flat     {base = "amount"|"margin"|"receipt", rate = 300}
--   rates    {base =, default = 200, products = {["产品名"] = 500}, categories = {["分类名"] = 800}}
--   tiered   {base =, mode = "slab"|"marginal", tiers = {{upto = fen, rate = bp}, ..., {rate = bp}}}
--            slab: the rate of the tier the whole base reaches applies to all of it;
--            marginal: each band of the base at its own rate.
-- Any plan may add  accelerator = {target = "sales"|"receipts", rate = bp[, stretch_rate = bp]}:
--   the part of the base above the month's 目标 earns `rate` more (above 冲刺: `stretch_rate` more).
-- A company adds a type by wrapping the policy in its pack:
--   local stock = require("lib.commission")
--   crm.policy("payroll.commission", function(a) if a.plan.type == "mine" then ... end return stock.compute(a) end)
local M = {}

-- amount × bp / 10000, rounded half away from zero, in integers.
function M.apply(amount, bp)
  local p = amount * bp
  if p >= 0 then return (p + 5000) // 10000 end
  return -((-p + 5000) // 10000)
end

function M.yuan(fen)
  local sign = fen < 0 and "-" or ""
  fen = math.abs(fen)
  return string.format("%s%d.%02d", sign, fen // 100, fen % 100)
end

function M.pct(bp)
  if bp % 100 == 0 then return string.format("%d%%", bp // 100) end
  return (string.format("%d.%02d%%", bp // 100, bp % 100):gsub("0%%$", "%%"))
end

-- Which entries and which of their amounts a base counts.
local function counts(entry, base)
  if base == "receipt" then return entry.base == "receipt", entry.amount end
  if base == "margin" then return entry.base == "sales", entry.margin end
  return entry.base == "sales", entry.amount
end

function M.base_of(entries, base)
  local total = 0
  for _, e in ipairs(entries) do
    local ok, amount = counts(e, base or "amount")
    if ok then total = total + amount end
  end
  return total
end

local base_names = { amount = "销售额", margin = "毛利", receipt = "回款" }

local function line(label, amount, explain)
  local l = { label = label, amount = amount, explain = explain }
  if amount < 0 then l.clawback = "本期退款/冲销超过本期业绩" end
  return l
end

function M.flat(a)
  local p, base = a.plan, M.base_of(a.entries, a.plan.base)
  local amount = M.apply(base, p.rate)
  return { line("提成", amount, string.format("%s %s 元 × %s = %s 元", base_names[p.base or "amount"], M.yuan(base), M.pct(p.rate), M.yuan(amount))) }
end

function M.rates(a)
  local p, groups, order = a.plan, {}, {}
  for _, e in ipairs(a.entries) do
    local ok, amount = counts(e, p.base or "amount")
    if ok then
      local rate, key = p.default or 0, "其他"
      if e.category_name and p.categories and p.categories[e.category_name] then rate, key = p.categories[e.category_name], "分类 " .. e.category_name end
      if e.product_name and p.products and p.products[e.product_name] then rate, key = p.products[e.product_name], "产品 " .. e.product_name end
      if not groups[key] then groups[key] = { base = 0, rate = rate }; order[#order + 1] = key end
      groups[key].base = groups[key].base + amount
    end
  end
  table.sort(order)
  local lines = {}
  for _, key in ipairs(order) do
    local g = groups[key]
    local amount = M.apply(g.base, g.rate)
    lines[#lines + 1] = line("提成（" .. key .. "）", amount, string.format("%s %s 元 × %s = %s 元", key, M.yuan(g.base), M.pct(g.rate), M.yuan(amount)))
  end
  return lines
end

-- Slab: the whole base at the rate of the tier it reaches.
function M.slab(base, tiers)
  local chosen = tiers[#tiers]
  for _, t in ipairs(tiers) do
    if t.upto == nil or base <= t.upto then chosen = t; break end
  end
  local amount = M.apply(base, chosen.rate)
  local reach = chosen.upto and ("不超过 " .. M.yuan(chosen.upto) .. " 元档") or "最高档"
  return amount, string.format("全额累进（slab）：%s 元落在%s，全额 × %s = %s 元", M.yuan(base), reach, M.pct(chosen.rate), M.yuan(amount))
end

-- Marginal: each band at its own rate.
function M.marginal(base, tiers)
  if base <= 0 then
    local amount = M.apply(base, tiers[1].rate)
    return amount, string.format("超额累进（marginal）：基数 %s 元 × 首档 %s = %s 元", M.yuan(base), M.pct(tiers[1].rate), M.yuan(amount))
  end
  local total, lower, parts = 0, 0, {}
  for _, t in ipairs(tiers) do
    if base <= lower then break end
    local top = t.upto and math.min(base, t.upto) or base
    local band = top - lower
    local amount = M.apply(band, t.rate)
    total = total + amount
    parts[#parts + 1] = string.format("%s–%s 元部分 %s × %s = %s", M.yuan(lower), M.yuan(top), M.yuan(band), M.pct(t.rate), M.yuan(amount))
    if not t.upto then break end
    lower = t.upto
  end
  return total, "超额累进（marginal）：" .. table.concat(parts, "；") .. string.format("；合计 %s 元", M.yuan(total))
end

function M.tiered(a)
  local p = a.plan
  local base = M.base_of(a.entries, p.base)
  local amount, explain
  if p.mode == "slab" then amount, explain = M.slab(base, p.tiers) else amount, explain = M.marginal(base, p.tiers) end
  return { line(p.base == "receipt" and "回款提成" or "提成", amount, base_names[p.base or "amount"] .. " " .. explain) }
end

-- Extra commission on the part of the base above the month's target (and stretch).
function M.accelerate(a, lines)
  local acc = a.plan.accelerator
  local t = a.targets[acc.target or "sales"]
  if not t or not t.target or t.target <= 0 then return lines end
  local base = M.base_of(a.entries, a.plan.base)
  local function extra(level, limit, rate)
    if not limit or not rate or base <= limit then return end
    local amount = M.apply(base - limit, rate)
    lines[#lines + 1] = line("超目标加速（" .. level .. "）", amount,
      string.format("超出%s %s 元的部分 %s 元 × 加速 %s = %s 元", level, M.yuan(limit), M.yuan(base - limit), M.pct(rate), M.yuan(amount)))
  end
  extra("目标", t.target, acc.rate)
  extra("冲刺", t.stretch, acc.stretch_rate)
  return lines
end

M.types = { flat = M.flat, rates = M.rates, tiered = M.tiered }

function M.compute(a)
  local kind = M.types[a.plan.type]
  if not kind then error("unknown plan type '" .. tostring(a.plan.type) .. "' in plan " .. tostring(a.plan.name)) end
  local lines = kind(a)
  if a.plan.accelerator then lines = M.accelerate(a, lines) end
  return { lines = lines }
end

return M
