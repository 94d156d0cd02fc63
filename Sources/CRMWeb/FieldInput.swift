import CRMKernel
import CRMServer

/// One form input per field type, with its label, required mark, help and error at the field.
extension WebApp {
    func fieldInput(_ h: inout HTML, _ view: FieldView, _ field: FieldDefinition, value: String, required: Bool, error: String?,
                    titles: inout TitleCache, recordID: Int64? = nil) {
        let lang = view.lang, id = "in-" + field.name, errorID = "err-" + field.name
        h.raw("<div class=\"field")
        if error != nil { h.raw(" invalid") }
        h.raw("\"><label")
        h.attr("for", id)
        h.raw(">")
        h.text(lang.label(field.label))
        if required {
            h.raw(" <abbr class=\"req\"")
            h.attr("title", lang.t("必填", "required"))
            h.raw(">*</abbr>")
        }
        h.raw("</label>")
        func common(_ h: inout HTML) {
            h.attr("id", id)
            h.attr("name", field.name)
            h.flag("required", required && field.type != .multiChoice)
            duplicateCheck(&h, view.entity.name, field.name, recordID: recordID)
            if error != nil {
                h.raw(" aria-invalid=\"true\"")
                h.attr("aria-describedby", errorID)
            }
        }
        switch field.type {
        case .longText:
            h.raw("<textarea rows=\"4\"")
            common(&h)
            if let max = field.maxLength { h.attr("maxlength", String(max)) }
            h.raw(">")
            h.text(value)
            h.raw("</textarea>")
        case .choice, .boolean:
            h.raw("<select")
            common(&h)
            h.raw("><option value=\"\">—</option>")
            let options = field.type == .boolean ? [("true", lang.t("是", "Yes")), ("false", lang.t("否", "No"))]
                : field.options.map { ($0.value, lang.label($0.label)) }
            for (v, label) in options {
                h.raw("<option")
                h.attr("value", v)
                h.flag("selected", v == value)
                h.raw(">")
                h.text(label)
                h.raw("</option>")
            }
            h.raw("</select>")
        case .multiChoice:
            let chosen = Set(value.split(separator: ",").map(String.init))
            h.raw("<fieldset")
            h.attr("id", id)
            h.raw(">")
            for option in field.options {
                h.raw("<label class=\"check\"><input type=\"checkbox\"")
                h.attr("name", field.name)
                h.attr("value", option.value)
                h.flag("checked", chosen.contains(option.value))
                h.raw("> ")
                h.text(lang.label(option.label))
                h.raw("</label>")
            }
            h.raw("</fieldset>")
        case .reference, .user:
            let target = field.target ?? "user"
            var shown = value
            if let rid = Int64(value) { shown = "\(rid) · \(titles.title(target, rid))" }
            h.raw("<input autocomplete=\"off\"")
            common(&h)
            h.attr("value", shown)
            h.attr("list", "dl-" + field.name)
            h.attr("placeholder", lang.t("输入名称或编号", "Type a name or number"))
            h.attr("hx-get", "/options/\(target)")
            h.raw(" hx-trigger=\"input changed delay:250ms\"")
            h.attr("hx-target", "#dl-" + field.name)
            h.raw(" hx-swap=\"innerHTML\"><datalist")
            h.attr("id", "dl-" + field.name)
            h.raw("></datalist>")
        default:
            h.raw("<input")
            common(&h)
            let type: String
            switch field.type {
            case .integer: type = "number"
            case .date: type = "date"
            case .datetime: type = "datetime-local"
            case .email: type = "email"
            case .phone: type = "tel"
            case .url: type = "url"
            default: type = "text"
            }
            h.attr("type", type)
            if field.type.isDecimal { h.raw(" inputmode=\"decimal\"") }
            if let max = field.maxLength { h.attr("maxlength", String(max)) }
            h.attr("value", value)
            h.raw(">")
        }
        if let help = field.help {
            h.raw("<small class=\"help\">")
            h.text(help)
            h.raw("</small>")
        }
        if let error {
            h.raw("<p class=\"field-error\" role=\"alert\"")
            h.attr("id", errorID)
            h.raw(">")
            h.text(error)
            h.raw("</p>")
        }
        h.raw("</div>")
    }

    /// A form's text for `field` as the value the kernel takes (it converts text itself).
    static func formValue(_ form: FormBody, _ field: FieldDefinition) -> Value {
        switch field.type {
        case .multiChoice: return .list(form.all(field.name).filter { !$0.isEmpty })
        case .tags:
            let text = form[field.name] ?? ""
            return .list(text.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        case .reference, .user:
            let text = (form[field.name] ?? "").trimmingCharacters(in: .whitespaces)
            let digits = text.drop(while: { $0 == "#" }).prefix(while: \.isNumber)
            return digits.isEmpty ? (text.isEmpty ? .null : .text(text)) : .integer(Int64(digits) ?? 0)
        case .datetime:
            let text = form[field.name] ?? ""
            return text.isEmpty ? .null : .text(FieldView.instant(fromLocal: text) ?? text)
        default:
            let text = form[field.name] ?? ""
            return text.isEmpty ? .null : .text(text)
        }
    }
}
