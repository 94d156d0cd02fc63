import CRMKernel

/// The customers module's reaction to a won deal: the customer becomes 成交
/// (`CustomerLifecycle.won`), so the 公海 reclaim rules on deals (`no_deal_days`) spare it.
///
/// It reads `opportunity.won` from the durable outbox (the opportunities module publishes it;
/// its payload carries the opportunity's `customer`), so the reaction happens even when the
/// process that won the deal stopped right after committing. A customer already 成交, deleted
/// since, or a won record without a customer is left alone.
enum DealWonConsumer {
    /// The event it consumes.
    static let event = "opportunity.won"

    static var consumer: EventConsumer {
        EventConsumer("deal_won", events: [event], summary: "赢单后客户状态改为成交 (a won deal makes its customer 成交)") { event, tx in
            guard let id = event.payload["customer"]?.integerValue,
                  let customer = try tx.reader.get("customer", id),
                  customer["lifecycle"] != .text(CustomerLifecycle.won) else { return }
            try tx.update("customer", id, ["lifecycle": .text(CustomerLifecycle.won)])
        }
    }
}
