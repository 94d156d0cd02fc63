-- Attribution models for crm.policy("marketing.attribution", ...). Each takes
-- {touches = {{campaign =, at =, source =}, ...} (oldest first), amount = fen} and returns
-- {model = name, shares = {{campaign = id, weight = n}, ...}}; the module splits the amount in
-- whole fen by the weights. Use one in a company pack:
--   local attribution = require("lib.attribution")
--   crm.policy("marketing.attribution", attribution.last_touch)
--   crm.policy("marketing.attribution", attribution.weighted({ first = 40, middle = 20, last = 40 }))
local M = {}

function M.first_touch(args)
  local first = args.touches[1]
  return { model = "first_touch", shares = first and { { campaign = first.campaign, weight = 1 } } or {} }
end

function M.last_touch(args)
  local last = args.touches[#args.touches]
  return { model = "last_touch", shares = last and { { campaign = last.campaign, weight = 1 } } or {} }
end

function M.equal_split(args)
  local shares = {}
  for _, touch in ipairs(args.touches) do shares[#shares + 1] = { campaign = touch.campaign, weight = 1 } end
  return { model = "equal_split", shares = shares }
end

-- Position weights (whole numbers): the first touch, the last touch and each touch between.
function M.weighted(weights)
  return function(args)
    local shares, n = {}, #args.touches
    for i, touch in ipairs(args.touches) do
      local w = (n == 1) and 1 or (i == 1 and weights.first) or (i == n and weights.last) or weights.middle
      shares[#shares + 1] = { campaign = touch.campaign, weight = w }
    end
    return { model = "weighted", shares = shares }
  end
end

return M
