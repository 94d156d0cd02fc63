-- Stock customization for customers: the choices a Chinese sales team starts with, and phone
-- validation. Change the lists freely; removing a value that records still use is refused.
local phone = require("lib.phone")

crm.field("customer", "industry", {
  type = "choice", label = "所属行业", label_en = "Industry", required = true, index = true,
  options = { "制造业", "零售业", "服务业", "信息技术", "金融", "房地产", "教育", "医疗健康" },
})

crm.field("customer", "source", {
  type = "choice", label = "客户来源", label_en = "Source", required = true, index = true,
  options = { "展会推荐", "线上推广", "客户转介绍", "电话营销", "官网咨询", "老客户复购" },
})

crm.field("customer", "grade", {
  type = "choice", label = "客户等级", label_en = "Grade", index = true,
  options = {
    { value = "A", label = { zh = "A类（重点）", en = "A (key)" } },
    { value = "B", label = { zh = "B类（普通）", en = "B (regular)" } },
    { value = "C", label = { zh = "C类（一般）", en = "C (minor)" } },
    { value = "D", label = { zh = "D类（待培育）", en = "D (nurture)" } },
  },
})

-- 11-digit mainland mobiles (+86, spaces and dashes normalized) or landlines with area code.
local function check_phone(field)
  return function(r)
    local value = r[field]
    if value == nil or value == "" then return end
    local normalized, err = phone.normalize(value)
    if normalized then r[field] = normalized else crm.reject(field, err) end
  end
end

crm.on("customer.before_save", check_phone("phone"))
crm.on("contact.before_save", check_phone("phone"))

crm.form("customer", {
  sections = {
    { title = { zh = "基本信息", en = "Basics" }, fields = { "name", "contact_name", "phone", "industry", "source", "grade", "lifecycle" } },
    { title = { zh = "地址与联系", en = "Address" }, fields = { "province", "city", "address", "email", "website" } },
    { title = { zh = "其他", en = "Other" }, fields = { "credit_code", "tags", "requirements", "owner", "duplicate_warning" } },
    { title = { zh = "公海", en = "Pool" }, fields = { "pool", "assigned_at", "last_followup_at", "next_followup_at" } },
  },
  readonly = { "last_followup_at", "pool", "assigned_at" },
})

-- 查重 (duplicate rules). For each match, what happens when another customer has the same value:
--   "block" refuses the save with an error naming the existing customer
--           (与客户 #12 深圳华信科技有限公司 重复（名称）),
--   "warn"  saves it and notes the duplicate in the customer's 疑似重复 (duplicate_warning) field,
--   "allow" does not check.
-- Matches: name          company name, normalized: full-width → half-width, spaces and case ignored,
--                       suffixes such as 有限公司 / 有限责任公司 / 股份有限公司 / （中国） stripped
--          phone         the customer's phone, normalized (+86, 0086, spaces, dashes, parentheses)
--          credit_code   统一社会信用代码, exact
--          contact_phone the customer's phone against other customers' contacts' phones
-- `on` says which saves are checked: single creates, updates (only when name, phone or credit
-- code change) and bulk imports (`crm import`; duplicates within one file are caught too).
-- A match left out keeps the default shown here.
crm.customers.duplicate_rules{
  name = "block",
  phone = "block",
  credit_code = "block",
  contact_phone = "allow",
  on = { create = true, update = true, import = true },
}

-- 公海 (shared customer pool). A customer without an owner sits in a pool: the first pool below
-- whose provinces include the customer's province (a pool without provinces takes the rest).
--   daily_claims   customers one user may claim per day (workspace time zone)
--   max_held       customers one user may own at once; claiming beyond it is refused
--   cooldown_days  days before a released or reclaimed customer's previous owner may claim it back
--   warn_days      owners are notified (pool.warning) this many days before a customer is reclaimed
--   max_per_run    at most this many customers move per reclaim run (the scheduler runs hourly)
--   reclaim        auto-reclaim per 客户等级 (grade); `default` covers grades not listed:
--                  no_followup_days  days without a follow-up (since the last one, or since assigned)
--                  no_deal_days      days since assigned without reaching 成交
--                  leave one out (or set it to 0) to switch that rule off for the grade
crm.customers.pool_rules{
  pools = {
    { name = "华南公海", provinces = { "广东", "广西", "海南", "福建" } },
    { name = "华东公海", provinces = { "上海", "江苏", "浙江", "安徽", "山东" } },
    { name = "默认公海" },
  },
  daily_claims = 20,
  max_held = 200,
  cooldown_days = 30,
  warn_days = 3,
  max_per_run = 5000,
  reclaim = {
    default = { no_followup_days = 30, no_deal_days = 90 },
    A = { no_followup_days = 60, no_deal_days = 180 },
    B = { no_followup_days = 45, no_deal_days = 120 },
  },
}

-- Follow-up attachments are kept in the workspace folder (files/followup/<id>/); larger files are refused.
crm.customers.attachment_rules{ max_bytes = 10 * 1024 * 1024 }
