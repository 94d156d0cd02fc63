import CRMCustomers
import CRMKernel
import CRMOpportunities
import CRMPlugins
import Foundation
import Testing

/// Every function of the customers, opportunities and products modules declares its effect and the access
/// it amounts to (what the former tables gave it, with nothing left to a default).
struct ModuleFunctionDeclarationTests {
    static let expected: [String: (FunctionEffect, FunctionRequirement)] = [
        "customers.primary_contact": (.read, .read("customer", recordArguments: [0])),
        "customers.duplicates": (.read, .read("customer")),
        "customers.timeline": (.read, .read("customer", recordArguments: [0])),
        "customers.merge": (.write, .delete("customer", recordArguments: [0, 1])),
        "customers.rename_tag": (.write, .admin("customer")),
        "customers.merge_tags": (.write, .admin("customer")),
        "customers.transfer": (.write, .admin("customer")),
        "customers.claim": (.write, .update("customer")),
        "customers.release": (.write, .update("customer", recordArguments: [0])),
        "customers.reclaim": (.write, .read("customer")),
        "customers.pools": (.read, .read("customer")),
        "customers.attach": (.write, .update("followup", recordArguments: [0])),
        "marketing.simulate_assignment": (.read, .admin("lead")),
        "marketing.assign": (.write, .admin("lead")),
        "marketing.capture": (.write, .create("lead")),
        "marketing.claim": (.write, .read("lead", recordArguments: [0])),
        "marketing.release": (.write, .update("lead", recordArguments: [0])),
        "marketing.return_unworked": (.write, .admin("lead")),
        "marketing.convert": (.write, .update("lead", recordArguments: [0])),
        "marketing.convert_many": (.write, .update("lead")),
        "marketing.roi": (.read, .read("campaign", recordArguments: [0])),
        "marketing.score_bands": (.read, .read("lead")),
        "marketing.reattribute": (.write, .admin("campaign")),
        "marketing.score": (.read, .read("lead")),
        "marketing.attribution": (.read, .read("campaign")),
        "marketing.send_campaign": (.write, .update("campaign")),
        "marketing.send_template": (.write, .read("message_template")),
        "marketing.campaign_delivery": (.read, .read("campaign", recordArguments: [0])),
        "marketing.opt_out": (.write, .create("message_opt_out")),
        "opportunities.move": (.write, .update("opportunity", recordArguments: [0])),
        "opportunities.win": (.write, .update("opportunity", recordArguments: [0])),
        "opportunities.lose": (.write, .update("opportunity", recordArguments: [0])),
        "opportunities.history": (.read, .read("opportunity", recordArguments: [0])),
        "opportunities.funnel": (.read, .read("opportunity")),
        "opportunities.conversion": (.read, .read("opportunity")),
        "opportunities.stats": (.read, .read("opportunity")),
        "opportunities.forecast": (.read, .read("opportunity")),
        "opportunities.stalled": (.read, .read("opportunity")),
        "products.available": (.read, .read("stock_move")),
        "products.receive": (.write, .create("stock_move")),
        "products.adjust_stock": (.write, .create("stock_move")),
        "products.price_facts": (.read, .read("product")),
        "products.generate_variants": (.write, .create("product")),
        "products.attach_image": (.write, .update("product", recordArguments: [0])),
        "products.price": (.read, .read("product")),
        "orders.save_order": (.write, .update("order")),
        "orders.save_quote": (.write, .update("quote")),
        "orders.add_line": (.write, .read("order_line")),
        "orders.update_line": (.write, .read("order_line")),
        "orders.remove_line": (.write, .read("order_line")),
        "orders.lines": (.read, .read("order_line")),
        "orders.compute": (.read, .read("order")),
        "orders.new_version": (.write, .update("quote", recordArguments: [0])),
        "orders.convert": (.write, .create("order")),
        "orders.from_opportunity": (.write, .create("order")),
        "orders.versions": (.read, .read("order", recordArguments: [0])),
        "orders.submit": (.write, .update("order", recordArguments: [0])),
        "orders.withdraw": (.write, .update("order", recordArguments: [0])),
        "orders.start": (.write, .update("order", recordArguments: [0])),
        "orders.complete": (.write, .update("order", recordArguments: [0])),
        "orders.void": (.write, .update("order", recordArguments: [0])),
        "orders.take_stock": (.write, .update("order", recordArguments: [0])),
        "orders.change": (.write, .update("order", recordArguments: [0])),
        "orders.report": (.read, .read("order")),
        "orders.sales_by_product": (.read, .read("order_line")),
        "orders.pending": (.read, .read("order")),
        "orders.ending": (.read, .read("order")),
    ]

    @Test func everyFunctionIsDeclaredAsBefore() throws {
        // The modules this table covers; finance, payroll and service check their functions' access
        // in their own tests.
        let covered = Set(Self.expected.keys.map { String($0.prefix { $0 != "." }) })
        var seen = Set<String>()
        for plugin in try BuiltInPlugins.registry().plugins where covered.contains(plugin.manifest.id) {
            for function in plugin.scriptFunctions {
                let name = "\(plugin.manifest.id).\(function.name)"
                seen.insert(name)
                let declared = try #require(Self.expected[name], "\(name) is new: add it to this table")
                #expect(function.effect == declared.0 && function.requirement == declared.1, "\(name)")
            }
        }
        #expect(seen == Set(Self.expected.keys))
    }
}
