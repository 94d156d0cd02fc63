import CRMKernel
import CRMServer
import Foundation
import Testing

/// Durable events over HTTP: a deal won through the API has moved its customer to 成交 by the
/// time the response arrives, and administrators see where each consumer stands.
struct EventAPITests {
    @Test func aDealWonOverTheAPIHasMadeItsCustomerWonWhenTheResponseArrives() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!, rep = f.tokens["rep1"]!
        try await f.withClient { c in
            let customer = try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON("接口成交有限公司", phone: "13900000051"))
            let customerID = try #require(customer.object["id"] as? Int)
            let deal = try await c.call(.post, "/api/v1/records/opportunity", token: boss,
                                        body: #"{"name":"接口商机","customer":\#(customerID)}"#)
            let dealID = try #require(deal.object["id"] as? Int, "\(deal.text)")
            let won = try await c.call(.post, "/api/v1/actions/opportunities/win", token: boss, body: "[\(dealID)]")
            #expect(won.status == 200, "\(won.text)")
            let after = try await c.call(.get, "/api/v1/records/customer/\(customerID)", token: boss)
            #expect(after.object["lifecycle"] as? String == "成交")

            let events = try await c.call(.get, "/api/v1/admin/events", token: boss)
            #expect(events.status == 200)
            let row = try #require(events.data.first { $0["consumer"] as? String == "customers.deal_won" })
            #expect(row["lag"] as? Int == 0 && row["events"] as? [String] == ["opportunity.won"])
            #expect(try await c.call(.get, "/api/v1/admin/events", token: rep).status == 403)
            let retry = try await c.call(.post, "/api/v1/admin/events/customers.deal_won/retry", token: boss)
            #expect(retry.status == 200 && retry.object["handled"] as? Int == 0)
            #expect(try await c.call(.post, "/api/v1/admin/events/customers.nope/retry", token: boss).status == 404)
        }
    }
}
