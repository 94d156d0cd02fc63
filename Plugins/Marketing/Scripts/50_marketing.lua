-- Stock customization for marketing and leads (市场及线索). Change freely; a company's own pack
-- loads after this file and may replace any of it.

crm.field("lead", "source", {
  type = "choice", label = "线索来源", label_en = "Source", required = true, index = true,
  options = { "官网表单", "线上广告", "展会", "社交媒体", "研讨会", "电话营销", "转介绍", "其他" },
})

-- Capture forms: POST /public/marketing/leads/<form> with a JSON object of these fields.
-- `honeypot` names a hidden field people leave empty; `min_fill_seconds` refuses posts sent
-- faster than that after the form was shown (the page puts the time it was shown, in Unix
-- seconds, in the hidden field `_started`). Bots get the same answer as people, and nothing is saved.
crm.marketing.capture_forms({
  website = {
    fields = { "name", "company", "title", "phone", "email", "region", "product_interest", "message",
               "utm_source", "utm_medium", "utm_campaign" },
    required = { "name" },
    source = "官网表单",
    honeypot = "homepage",
    min_fill_seconds = 3,
  },
  expo = {
    fields = { "name", "company", "phone", "email", "region", "product_interest" },
    required = { "name", "phone" },
    source = "展会",
    campaign = "2026深圳工业自动化展",
  },
})

-- Assignment rules: in order, the first whose `when` matches and has a user available (not on
-- leave, under its caps) places the lead. Strategies: round_robin, least_open, weighted.
-- Leads no rule places go to `default_owner`, or stay in the lead pool when it is nil.
crm.marketing.assignment_rules({
  rules = {
    { name = "高分线索", when = { min_score = 80 }, users = { "zhangwei" }, strategy = "least_open", daily_cap = 20 },
    { name = "华南区域", when = { region = { "广东", "广西", "福建", "海南" } }, users = { "lina", "wangqiang" },
      strategy = "round_robin", daily_cap = 30, monthly_cap = 600 },
  },
  default_owner = nil,
})

-- Lead pool (线索池): assigned leads not followed up within these hours go back to the pool.
crm.marketing.lead_pool({
  return_after_hours = 72,
  by_source = { ["展会"] = 120 },
  by_score = { { min = 80, hours = 24 } },
  warn_hours = 12,
  daily_claims = 20,
  cooldown_days = 3,
})

-- Conversion: which lead field fills which customer, contact and opportunity field. A lead field
-- with a value that no map names is reported by the conversion and kept in the contact's notes.
crm.marketing.conversion_map({
  customer = { company = "name", phone = "phone", email = "email", region = "province", message = "requirements" },
  contact = { name = "name", phone = "phone", email = "email", title = "title" },
  opportunity = {},
  customer_defaults = { industry = "制造业" },
  sources = { ["官网表单"] = "官网咨询", ["线上广告"] = "线上推广", ["展会"] = "展会推荐", ["社交媒体"] = "线上推广",
              ["研讨会"] = "展会推荐", ["电话营销"] = "电话营销", ["转介绍"] = "客户转介绍", ["其他"] = "线上推广" },
})

-- Lead score (0–100), computed on every save of a lead (so on each new touch too): the source,
-- how complete the lead is, the region, how many times it came back and how recent the last touch.
local source_points = { ["转介绍"] = 30, ["展会"] = 25, ["研讨会"] = 25, ["官网表单"] = 20, ["电话营销"] = 10,
                        ["线上广告"] = 10, ["社交媒体"] = 10, ["其他"] = 5 }
local key_regions = { ["广东"] = true, ["上海"] = true, ["北京"] = true, ["浙江"] = true, ["江苏"] = true }

crm.policy("marketing.score", function(args)
  local lead = args.lead
  local score = source_points[lead.source] or 5
  for _, field in ipairs({ "phone", "email", "company", "title", "region", "product_interest" }) do
    if lead[field] ~= nil and lead[field] ~= "" then score = score + 5 end
  end
  if key_regions[lead.region] then score = score + 10 end
  score = score + math.min(((args.touches or 1) - 1) * 10, 20)
  local days = args.days_since_touch or 0
  if days <= 7 then score = score + 10 elseif days > 30 then score = score - 10 end
  return math.max(0, math.min(100, score))
end)

-- Attribution of won deals to campaigns: first touch. Other models ship in lib/attribution.lua
-- (last_touch, equal_split, weighted{first =, middle =, last =}).
crm.policy("marketing.attribution", require("lib.attribution").first_touch)
