import CRMKernel
import CRMServer
import Foundation

/// The pieces around a list: the filter form, the saved views and the bulk-action bar.
extension WebApp {
    /// Fields offered as filters: choices, users, booleans and indexed fields, up to eight.
    func filterFields(_ view: FieldView) -> [FieldDefinition] {
        Array(view.visibleFields.filter { $0.type.hasOptions || $0.type == .user || $0.type == .boolean || $0.type == .tags || ($0.indexed && $0.type != .datetime) }.prefix(8))
    }

    func filterForm(_ web: WebRequest, _ view: FieldView, _ params: FormBody, base: String) -> HTML {
        let lang = web.lang
        var h = HTML()
        h.raw("<form method=\"get\" class=\"filters\"")
        h.attr("action", base)
        h.raw("><label for=\"list-q\">")
        h.text(lang.t("搜索", "Search"))
        h.raw("</label><input id=\"list-q\" type=\"search\" name=\"q\"")
        h.attr("value", params["q"] ?? "")
        h.raw("><details class=\"more\"")
        h.flag("open", params.order.contains { $0.hasPrefix("f.") && !(params[$0] ?? "").isEmpty })
        h.raw("><summary>")
        h.text(lang.t("更多筛选", "More filters"))
        h.raw("</summary>")
        for field in filterFields(view) {
            let id = "f-" + field.name, current = params["f.\(field.name)"] ?? ""
            h.raw("<label")
            h.attr("for", id)
            h.raw(">")
            h.text(lang.label(field.label))
            h.raw("</label>")
            if field.type.hasOptions || field.type == .boolean {
                h.raw("<select")
                h.attr("id", id)
                h.attr("name", "f.\(field.name)")
                h.raw("><option value=\"\">")
                h.text(lang.t("全部", "All"))
                h.raw("</option>")
                let options = field.type == .boolean ? [("true", lang.t("是", "Yes")), ("false", lang.t("否", "No"))]
                    : field.options.map { ($0.value, lang.label($0.label)) }
                for (value, label) in options {
                    h.raw("<option")
                    h.attr("value", value)
                    h.flag("selected", value == current)
                    h.raw(">")
                    h.text(label)
                    h.raw("</option>")
                }
                h.raw("</select>")
            } else {
                h.raw("<input")
                h.attr("id", id)
                h.attr("name", "f.\(field.name)")
                h.attr("value", current)
                if field.type == .user, let me = view.access.user.id { h.attr("placeholder", lang.t("用户编号，如 \(me)", "user id, e.g. \(me)")) }
                h.raw(">")
            }
        }
        h.raw("</details>")
        if let cols = params["cols"] {
            h.raw("<input type=\"hidden\" name=\"cols\"")
            h.attr("value", cols)
            h.raw(">")
        }
        h.raw("<button type=\"submit\">")
        h.text(lang.t("筛选", "Filter"))
        h.raw("</button><details class=\"cols\"><summary>")
        h.text(lang.t("显示列", "Columns"))
        h.raw("</summary>")
        let chosen = Set(columns(params, view).map(\.name))
        for field in view.visibleFields {
            h.raw("<label class=\"check\"><input type=\"checkbox\" name=\"col\"")
            h.attr("value", field.name)
            h.flag("checked", chosen.contains(field.name))
            h.raw("> ")
            h.text(lang.label(field.label))
            h.raw("</label>")
        }
        h.raw("</details></form>")
        return h
    }

    func viewsBox(_ web: WebRequest, _ p: Principal, _ entity: String, _ params: FormBody) -> HTML {
        let lang = web.lang
        var h = HTML()
        let views = SavedViews(store: store).views(entity, user: p.user.id)
        h.raw("<div class=\"views\">")
        if !views.isEmpty {
            h.raw("<span>")
            h.text(lang.t("视图：", "Views: "))
            h.raw("</span>")
            for view in views {
                h.link("<a class=\"chip\"", href: "/e/\(entity)?" + view.query, view.name + (view.shared ? lang.t("（共享）", " (shared)") : ""))
            }
        }
        h.raw("<form method=\"post\" class=\"inline\"")
        h.attr("action", "/e/\(entity)/views")
        h.raw(">")
        csrfField(&h, web)
        h.raw("<input type=\"hidden\" name=\"query\"")
        h.attr("value", params.encoded)
        h.raw("><label for=\"view-name\" class=\"sr\">")
        h.text(lang.t("视图名称", "View name"))
        h.raw("</label><input id=\"view-name\" name=\"view_name\" maxlength=\"60\"")
        h.attr("placeholder", lang.t("视图名称", "View name"))
        h.raw("><label class=\"check\"><input type=\"checkbox\" name=\"shared\" value=\"1\"> ")
        h.text(lang.t("共享", "Shared"))
        h.raw("</label><button type=\"submit\">")
        h.text(lang.t("保存视图", "Save view"))
        h.raw("</button></form></div>")
        return h
    }

    func bulkBar(_ web: WebRequest, _ p: Principal, _ entity: String) -> HTML {
        let lang = web.lang
        var h = HTML()
        let canUpdate = p.access.allows(.update, on: entity), canDelete = p.access.allows(.delete, on: entity)
        guard canUpdate || canDelete else { return h }
        h.raw("<div class=\"bulkbar\"><label for=\"bulk-action\">")
        h.text(lang.t("对选中记录：", "With the selected:"))
        h.raw("</label><select id=\"bulk-action\" name=\"action\">")
        let fields = store.schema.entities[entity]?.fieldsByName ?? [:]
        var actions: [(String, String)] = []
        if canUpdate, fields["owner"] != nil { actions.append(("assign", lang.t("分配负责人", "Assign owner"))) }
        if canUpdate, fields["tags"]?.type == .tags { actions.append(("tag", lang.t("添加标签", "Add a tag"))) }
        if canDelete { actions.append(("delete", lang.t("删除", "Delete"))) }
        for (value, label) in actions {
            h.raw("<option")
            h.attr("value", value)
            h.raw(">")
            h.text(label)
            h.raw("</option>")
        }
        h.raw("</select><label for=\"bulk-value\" class=\"sr\">")
        h.text(lang.t("负责人编号或标签", "Owner id or tag"))
        h.raw("</label><input id=\"bulk-value\" name=\"value\"")
        h.attr("placeholder", lang.t("负责人编号或标签", "Owner id or tag"))
        h.raw("><button type=\"submit\">")
        h.text(lang.t("执行…", "Apply…"))
        h.raw("</button></div>")
        return h
    }
}
