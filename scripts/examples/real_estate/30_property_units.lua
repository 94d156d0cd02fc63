-- 房源: property units of a residential project, as a sales office tracks them.
crm.entity("property_unit", {
  label = "房源", label_en = "Property unit", title = "unit_no",
  fields = {
    { name = "project", type = "text", label = "项目", required = true, index = true, max_length = 64 },
    { name = "building", type = "text", label = "楼栋", required = true, index = true, max_length = 16 },
    { name = "unit_no", type = "text", label = "房号", required = true, unique = true, searchable = true, max_length = 32 },
    { name = "layout", type = "choice", label = "户型", options = { "一室一厅", "两室一厅", "三室两厅", "四室两厅", "复式" } },
    { name = "area", type = "decimal", label = "建筑面积(㎡)", required = true, min = 10, max = 1000, scale = 2 },
    { name = "unit_price", type = "money", label = "单价(元/㎡)", required = true, min = 0 },
    { name = "total_price", type = "money", label = "总价", min = 0 },
    { name = "status", type = "choice", label = "销售状态", index = true },
    { name = "buyer", type = "reference", target = "customer", label = "购房客户" },
    { name = "deposit", type = "money", label = "定金", min = 0 },
    { name = "signed_on", type = "date", label = "签约日期" },
  },
})

crm.stages("property_unit", {
  { name = "待售", label_en = "Available" },
  { name = "预留", label_en = "Reserved", next = { "认购", "待售", "撤销" } },
  { name = "认购", label_en = "Subscribed", requires = { "buyer", "deposit" } },
  { name = "签约", label_en = "Signed", requires = { "buyer", "signed_on" } },
  { name = "已售", label_en = "Sold", won = true },
  { name = "撤销", label_en = "Withdrawn", lost = true },
}, { field = "status", allow_back = false })

crm.form("property_unit", {
  sections = {
    { title = "房源信息", fields = { "project", "building", "unit_no", "layout", "area", "unit_price", "total_price" } },
    { title = "销售", fields = { "status", "buyer", "deposit", "signed_on" } },
  },
  readonly = { "total_price" },
  shown_when = { signed_on = { status = "签约" } },
})
