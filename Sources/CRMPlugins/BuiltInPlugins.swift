import CRMKernel
import CRMMarketing
import CRMCustomers
import CRMFinance
import CRMOpportunities
import CRMOrders
import CRMPayroll
import CRMProducts
import CRMService

/// The plugins built into the `crm` binary. An integrator adds a plugin with one line here.
public enum BuiltInPlugins {
    /// Every built-in plugin.
    public static var all: [any Plugin] {
        [
            CustomersPlugin(),
            OpportunitiesPlugin(),
            MarketingPlugin(),
            ProductsPlugin(),
            OrdersPlugin(),
            FinancePlugin(),
            PayrollPlugin(),
            ServicePlugin(),
        ]
    }

    /// The registry of built-in plugins, in dependency order.
    public static func registry() throws -> PluginRegistry {
        try PluginRegistry(all)
    }
}
