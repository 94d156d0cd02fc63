-- Automation for property units.

-- 总价 = 面积 × 单价, rounded to the fen (分), in integers: money and decimals reach Lua as
-- integers or exact decimal strings, and crm.money.fen turns both (at most two decimals) into
-- an integer count of hundredths, so no binary float ever touches an amount.
crm.on("property_unit.before_save", function(u)
  if u.area and u.unit_price then
    local area_hundredths, price_fen = crm.money.fen(u.area), crm.money.fen(u.unit_price)
    u.total_price = crm.money.yuan((area_hundredths * price_fen + 50) // 100)
  end
  if u.deposit and u.total_price and crm.money.fen(u.deposit) > crm.money.fen(u.total_price) then
    crm.reject("deposit", "定金不能超过总价")
  end
end)

-- Signing a unit makes its buyer a customer who has closed (成交).
crm.on("property_unit.after_update", function(u, event)
  if event.previous and event.previous.status and u.status == "签约" and u.buyer then
    crm.update("customer", u.buyer, { lifecycle = "成交" })
    crm.log("房源 " .. u.unit_no .. " 已签约，客户 " .. u.buyer .. " 标记为成交")
  end
end)
