-- Stock service module: ticket statuses, routing, SLA policies and the public ticket form.
-- A company changes any of this in its own pack (loaded after the stock packs).

-- 工单状态: 新建 → 已分配 → 处理中 ⇄ 待客户回复 / 待第三方 → 已解决 → 已关闭, with 已合并 and 无效.
-- A customer's reply brings a solved ticket back to 处理中; 已解决 closes itself after
-- auto_close_days (job service.auto_close).
crm.stages("ticket", {
  { name = "新建", label_en = "New", next = { "已分配", "处理中", "已解决", "已合并", "无效" } },
  { name = "已分配", label_en = "Assigned", next = { "处理中", "待客户回复", "待第三方", "已解决", "已合并", "无效" } },
  { name = "处理中", label_en = "In progress", next = { "待客户回复", "待第三方", "已解决", "已合并", "无效" } },
  { name = "待客户回复", label_en = "Waiting for customer", next = { "处理中", "已解决", "已合并", "已关闭" } },
  { name = "待第三方", label_en = "Waiting for third party", next = { "处理中", "已解决", "已合并" } },
  { name = "已解决", label_en = "Solved", next = { "处理中", "已关闭" } },
  { name = "已关闭", label_en = "Closed", next = {} },
  { name = "已合并", label_en = "Merged", next = {}, requires = { "merged_into" } },
  { name = "无效", label_en = "Invalid", next = {}, requires = { "invalid_reason" } },
}, { field = "status", allow_back = false })

-- 知识库文章: 草稿 → 审核中 → 已发布 → 已归档 (a rejected article goes back to 草稿).
crm.stages("kb_article", {
  { name = "草稿", label_en = "Draft", next = { "审核中" } },
  { name = "审核中", label_en = "In review", next = { "已发布", "草稿" } },
  { name = "已发布", label_en = "Published", next = { "已归档", "草稿" } },
  { name = "已归档", label_en = "Archived", next = { "草稿" } },
}, { field = "status", allow_back = false })

crm.service.rules{
  statuses = { new = "新建", assigned = "已分配", working = "处理中", waiting_customer = "待客户回复",
               waiting_third_party = "待第三方", solved = "已解决", closed = "已关闭", merged = "已合并", invalid = "无效" },
  auto_close_days = 7,
  rating_days = 14,
  -- POST /public/service/tickets/support: a hidden "website" field and at least 3 s to fill it.
  forms = { support = { honeypot = "website", min_fill_seconds = 3 } },
  -- public_url = "https://crm.example.com",   -- put before the rating link's path
  -- inbound_key = "a long random key",        -- turns on POST /public/service/inbound-mail?key=...
}

-- 分派: the first rule that matches sends the ticket to a team; inside it the available agent
-- (user.service_available) with the category or product among their skills and the fewest open
-- tickets (skill_load), or the next in turn (round_robin).
crm.service.routing{
  rules = {
    { name = "投诉", categories = { "投诉建议" }, team = "客服部", strategy = "round_robin" },
    { name = "A类客户", grades = { "A" }, team = "客服部" },
  },
  default_team = "客服部",
  strategy = "skill_load",
}

-- SLA in working time on the business calendar (scripts/05_calendar.lua): first response and
-- resolution per priority (and customer grade). 待客户回复 pauses the clock; add "待第三方" to
-- pause while a supplier works. Actions: notify_assignee, notify_manager, raise_priority, reassign.
crm.service.sla{
  calendar = "default",
  pause = { "待客户回复" },
  warn_percent = 75,
  policies = {
    { priority = "紧急", first_response_minutes = 30, resolution_hours = 4 },
    { priority = "高", grade = "A", first_response_minutes = 30, resolution_hours = 8 },
    { priority = "高", first_response_minutes = 60, resolution_hours = 16 },
    { priority = "中", first_response_minutes = 120, resolution_hours = 24 },
    { priority = "低", first_response_minutes = 480, resolution_hours = 40 },
  },
  escalation = {
    warning = { "notify_assignee" },
    breach = { "notify_manager", "raise_priority" },
  },
}

crm.form("ticket", {
  sections = {
    { title = { zh = "工单", en = "Ticket" }, fields = { "number", "subject", "description", "status", "priority", "category", "channel" } },
    { title = { zh = "客户", en = "Customer" }, fields = { "customer", "contact", "requester_name", "requester_email", "requester_phone", "product", "order" } },
    { title = { zh = "处理", en = "Handling" }, fields = { "team", "assignee", "tags", "invalid_reason", "merged_into" } },
  },
  readonly = { "number" },
  shown_when = { invalid_reason = { status = "无效" }, merged_into = { status = "已合并" } },
})
