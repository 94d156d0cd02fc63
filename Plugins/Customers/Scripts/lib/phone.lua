-- Phone numbers as Chinese sales teams write them.
--   normalize("+86 138-0013-8000") --> "13800138000"
--   normalize("0755 8888 1234")    --> "0755-88881234"
--   normalize("12345")             --> nil, "不是有效的手机号或座机号：12345"
local M = {}

function M.normalize(text)
  if type(text) ~= "string" then return nil, "电话必须是文本" end
  -- A bare mobile is already in normal form (so is every phone saved before): one check.
  if #text == 11 and text:find("^1[3-9]%d%d%d%d%d%d%d%d%d$") then return text end
  local digits = text:gsub("[%s%-%(%)]", "")
  digits = digits:gsub("^%+86", ""):gsub("^0086", "")
  if #digits == 13 and digits:sub(1, 2) == "86" then digits = digits:sub(3) end
  if digits:match("^1[3-9]%d%d%d%d%d%d%d%d%d$") then
    return digits
  end
  -- Landlines: area code 010 / 02x (3 digits) or 0xxx (4 digits), then 7–8 digits.
  local area, number = digits:match("^(0[12]%d)(%d%d%d%d%d%d%d%d?)$")
  if not area then area, number = digits:match("^(0[3-9]%d%d)(%d%d%d%d%d%d%d%d?)$") end
  if area then return area .. "-" .. number end
  return nil, "不是有效的手机号或座机号：" .. text
end

return M
