import CRMKernel
import CRMProducts
import Foundation

/// Prices a line that was given no sales price with the company's `products.price` policy
/// (the stock pack's price books, or the company's own function), for the document's customer
/// and the line's quantity, today; the policy's trace is kept on the line.
enum LinePricing {
    static func price(_ ctx: inout SaveContext, _ reader: RecordReader, _ document: Record, quantity: Decimal) throws {
        guard let productID = ctx.values["product"]?.integerValue, quantity > 0 else { return }
        let today = try ContractReminders.today(reader, ctx.tx.now)
        let priced = try ProductPricing.price(ctx.tx, product: productID, customer: document["customer"].integerValue, quantity: quantity, date: today)
        ctx.values["sales_price"] = .money(priced.unitPriceFen)
        ctx.values["price_trace"] = .text(priced.trace)
    }
}
