-- Stock roles and what each may do. A company changes a role by declaring it again with
-- crm.role in a later file of its own pack (the later declaration wins), or adds new roles.
--
-- scope: which records (by owner) a role sees: own | team | team_tree (team and sub-teams) | all.
-- grants: actions per entity: read, create, update, delete, export, admin ("*" = all of them);
--         ["*"] applies to entities not named.
-- hidden / readonly: fields a role never sees / may not change.
-- unowned: entities whose records without an owner the role sees anyway (公海 customers).

local work = { "read", "create", "update" }
local manage = { "read", "create", "update", "delete", "export" }
local mine = { "read", "update" }          -- own notifications: list and mark read

crm.role("admin", {
  label = "超级管理员", label_en = "Administrator",
  scope = "all", grants = { ["*"] = "*" },
})

crm.role("sales_manager", {
  label = "销售经理", label_en = "Sales manager",
  scope = "team_tree",
  grants = {
    customer = manage, contact = manage, followup = manage, task = manage, pool_event = { "read" },
    opportunity = manage, opportunity_stage = { "read" }, sales_target = manage,
    product = { "read" }, user = { "read" }, team = { "read" }, notification = mine,
  },
  scopes = { notification = "own", product = "all" },
  hidden = { product = { "cost_price" } },
  unowned = { "customer" },
})

crm.role("sales_rep", {
  label = "销售专员", label_en = "Sales representative",
  scope = "own",
  grants = {
    customer = work, contact = work, followup = work, task = work, pool_event = { "read" },
    opportunity = work, opportunity_stage = { "read" }, sales_target = { "read" },
    product = { "read" }, user = { "read" }, team = { "read" }, notification = mine,
  },
  scopes = { product = "all" },
  hidden = { product = { "cost_price" } },
  readonly = { customer = { "owner" }, opportunity = { "owner" } },
  unowned = { "customer" },
})

crm.role("marketing_manager", {
  label = "市场经理", label_en = "Marketing manager",
  scope = "team_tree",
  grants = {
    campaign = manage, lead = manage, customer = { "read", "export" }, contact = { "read" },
    product = { "read" }, user = { "read" }, team = { "read" }, notification = mine,
  },
  scopes = { notification = "own", customer = "all", contact = "all", product = "all" },
  hidden = { product = { "cost_price" } },
})

crm.role("service_manager", {
  label = "客服主管", label_en = "Service manager",
  scope = "team_tree",
  grants = {
    ticket = manage, kb_article = manage, customer = { "read" }, contact = { "read" }, task = manage,
    product = { "read" }, user = { "read" }, team = { "read" }, notification = mine,
  },
  scopes = { notification = "own", customer = "all", contact = "all", kb_article = "all", product = "all" },
  hidden = { product = { "cost_price" } },
})

crm.role("service_agent", {
  label = "客服专员", label_en = "Service agent",
  scope = "own",
  grants = {
    ticket = work, kb_article = { "read" }, customer = { "read" }, contact = { "read" }, task = work,
    product = { "read" }, user = { "read" }, team = { "read" }, notification = mine,
  },
  scopes = { customer = "all", contact = "all", kb_article = "all", product = "all" },
  hidden = { product = { "cost_price" } },
})

crm.role("finance", {
  label = "财务", label_en = "Finance",
  scope = "all",
  grants = {
    order = manage, order_line = manage, payment_plan = manage, payment = manage, invoice = manage,
    expense = manage, commission_rule = manage, payroll_run = manage, payslip = manage,
    customer = { "read", "export" }, contact = { "read" }, opportunity = { "read", "export" }, sales_target = { "read" },
    product = { "read" }, user = { "read" }, team = { "read" }, notification = mine,
  },
  scopes = { notification = "own" },
})
