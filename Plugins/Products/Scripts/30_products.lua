-- Stock customization for products: when orders reserve and take stock, and how prices are found.
-- Money here is always integer fen (100 = ¥1.00) or a decimal string ("12.50"), never a Lua float:
-- floats cannot hold 0.1 exactly, and a price must come out the same in Lua, Swift and reports.

-- 库存策略. reserve_on: "submit" (on submitting an order), "approval" (once approved) or "none";
-- take_on: "approval", "delivery" or "manual"; allow_negative: whether available stock may go
-- below zero.
crm.products.stock_policy{ reserve_on = "submit", take_on = "approval", allow_negative = false }

-- 定价 (products.price). Takes {product = id, customer = id, quantity = "2", date = "2026-12-01",
-- channel = "经销商"} and returns {price = <integer fen>, trace = "目录价 100.00 → VIP 价目表 −8% → 四舍五入到元"}.
-- crm.products.price_facts gives everything as integers: list_price in fen, quantity_milli
-- (thousandths), and the price books that apply (valid on the date, for this customer, their grade,
-- the channel, or everyone), best first (priority, then customer > grade > channel > 默认). Each book has
-- entries {min_quantity_milli, price (fen) | discount_bp (1/100 %)}, an optional book-wide
-- discount_bp and rounding (the step in fen: 1, 10 or 100). The stock rule: the first book with a
-- price for the product wins; its entry with the largest quantity break not above the quantity
-- applies (else the book-wide discount), then the book's rounding, half up.
local function yuan(fen)
  local sign = fen < 0 and "-" or ""
  fen = math.abs(fen)
  return string.format("%s%d.%02d", sign, fen // 100, fen % 100)
end

local function percent(bp)
  if bp % 100 == 0 then return tostring(bp // 100) .. "%" end
  return string.format("%d.%02d%%", bp // 100, bp % 100):gsub("0%%$", "%%")
end

local function discounted(fen, bp)
  return (fen * (10000 - bp) + 5000) // 10000
end

local rounding_names = { [10] = "四舍五入到角", [100] = "四舍五入到元" }

crm.policy("products.price", function(args)
  local facts = crm.products.price_facts(args)
  local price = facts.list_price
  local trace = { "目录价 " .. yuan(price) }
  for _, book in ipairs(facts.books) do
    local best
    for _, entry in ipairs(book.entries) do
      if entry.min_quantity_milli <= facts.quantity_milli
         and (best == nil or entry.min_quantity_milli > best.min_quantity_milli) then
        best = entry
      end
    end
    local step
    if best and best.price then
      price = best.price
      trace[#trace + 1] = book.name .. " 单价 " .. yuan(price)
    elseif best and best.discount_bp then
      price = discounted(price, best.discount_bp)
      trace[#trace + 1] = book.name .. " −" .. percent(best.discount_bp)
    elseif book.discount_bp then
      price = discounted(price, book.discount_bp)
      trace[#trace + 1] = book.name .. " −" .. percent(book.discount_bp)
    end
    if best and best.min_quantity_milli > 1000 then
      local from = best.min_quantity_milli
      local text = from % 1000 == 0 and tostring(from // 1000) or string.format("%d.%03d", from // 1000, from % 1000)
      trace[#trace] = trace[#trace] .. "（满 " .. text .. "）"
    end
    if best or book.discount_bp then
      step = book.rounding
      if step > 1 then
        price = (price + step // 2) // step * step
        trace[#trace + 1] = rounding_names[step] or ("取整到 " .. step .. " 分")
      end
      break
    end
  end
  return { price = price, trace = table.concat(trace, " → ") }
end)
