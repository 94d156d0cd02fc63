import CRMKernel
import Foundation

/// Prices a line that was given no sales price: the product's list price, with the trace kept
/// on the line.
enum LinePricing {
    static func price(_ ctx: inout SaveContext, _ reader: RecordReader, _ document: Record, quantity: Decimal) throws {
        guard let productID = ctx.values["product"]?.integerValue, let product = try reader.get("product", productID) else { return }
        let list = product["list_price"]
        guard !list.isEmpty else { return }
        ctx.values["sales_price"] = list
        ctx.values["price_trace"] = .text("目录价 \(list)")
    }
}
