import CRMKernel

/// The 退回公海 section of a customer's page (template `Pages/release.mustache`): for the
/// customer's owner, a form with the reason required, posting to `/do/customers/release` (the
/// module's rules apply: owner or administrator, reason required), then to the 公海.
enum ReleaseSection {
    static var page: PluginPage {
        PluginPage("release", path: "#release", title: LocalizedText("退回公海", en: "Release to the pool"),
                   requires: FunctionAccess(entity: "customer", action: .read),
                   view: PageView(template: PageTemplate("release", target: "CRMCustomers"), data: data),
                   placement: .section(entity: "customer", order: 90))
    }

    @Sendable static func data(_ r: PageRequest) throws -> PageData {
        let customer = try r.record("customer")
        let own = r.user.id != nil && customer["owner"].integerValue == r.user.id
        return [
            "customer": .integer(customer.id), "own": .bool(own),
            "text": ["release": .text(r.text("退回公海", "Release to the pool")), "reason": .text(r.text("退回原因", "Reason")),
                     "confirm": .text(r.text("确认退回", "Release"))],
        ]
    }
}
