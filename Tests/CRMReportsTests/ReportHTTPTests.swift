import CRMKernel
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/api/v1/reports`: list, run in every format, 400 naming a bad parameter, reports shared
/// with other roles not disclosed, and administrators saving reports.
struct ReportHTTPTests {
    func auth(_ f: ReportFixture, _ user: String) -> HTTPFields { [.authorization: "Bearer \(f.tokens[user]!)"] }

    @Test func listsAndRunsReportsAsJSONAndFiles() async throws {
        let f = try ReportFixture()
        try await f.withClient { client in
            try await client.execute(uri: "/api/v1/reports", method: .get, headers: auth(f, "boss_zhang")) { r in
                #expect(r.status == .ok)
                let body = String(buffer: r.body)
                #expect(body.contains("\"name\":\"sales_monthly\""))
                #expect(body.contains("\"name\":\"opportunities.funnel\""))
                #expect(body.contains("\"name\":\"opportunities.forecast\""))
            }
            try await client.execute(uri: "/api/v1/reports/sales_monthly/run?period=2026-11", method: .get, headers: auth(f, "boss_zhang")) { r in
                #expect(r.status == .ok)
                let body = String(buffer: r.body)
                #expect(body.contains("\"李娜\",2,\"40000"), "\(body)")
                #expect(body.contains("\"label\":\"回款率\""))
            }
            try await client.execute(uri: "/api/v1/reports/sales_monthly/run?period=2026-11&format=csv", method: .get, headers: auth(f, "li")) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType]?.hasPrefix("text/csv") == true)
                let csv = String(buffer: r.body)
                #expect(csv.contains("李娜,2,40000.00"))
                #expect(!csv.contains("王强"))  // a rep sees their own orders only
            }
            try await client.execute(uri: "/api/v1/reports/sales_monthly/run?period=2026-11&format=xlsx", method: .get, headers: auth(f, "boss_zhang")) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentDisposition]?.contains("attachment") == true)
                #expect(Array(r.body.readableBytesView.prefix(2)) == [0x50, 0x4B])  // a zip
            }
            try await client.execute(uri: "/api/v1/reports/opportunities.funnel/run?format=svg", method: .get, headers: auth(f, "boss_zhang")) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body).hasPrefix("<svg"))
            }
        }
    }

    @Test func aParameterOfTheWrongTypeIs400NamingIt() async throws {
        let f = try ReportFixture(orders: false)
        try await f.withClient { client in
            try await client.execute(uri: "/api/v1/reports/sales_monthly/run?period=next-ish", method: .get, headers: auth(f, "boss_zhang")) { r in
                #expect(r.status == .badRequest)
                let body = String(buffer: r.body)
                #expect(body.contains("period"), "\(body)")
            }
            try await client.execute(uri: "/api/v1/reports/sales_monthly/run?format=docx", method: .get, headers: auth(f, "boss_zhang")) { r in
                #expect(r.status == .badRequest)
                #expect(String(buffer: r.body).contains("format"))
            }
            try await client.execute(uri: "/api/v1/reports/no_such_report/run", method: .get, headers: auth(f, "boss_zhang")) { r in
                #expect(r.status == .notFound)
            }
        }
    }

    @Test func administratorsSaveReportsSharedWithRoles() async throws {
        let f = try ReportFixture()
        let spec = """
            {"name": "orders_by_month", "title": "月度订单", "roles": ["sales_manager"],
             "spec": {"entity": "order", "group_by": [{"field": "signed_date", "bucket": "month"}],
                      "filters": [{"field": "status", "op": "ne", "values": ["草稿"]}],
                      "measures": [{"name": "n", "kind": "count"}, {"name": "amount", "kind": "sum", "field": "total"}]}}
            """
        try await f.withClient { client in
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: auth(f, "boss_zhang"), body: ByteBuffer(string: spec)) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: auth(f, "admin"), body: ByteBuffer(string: spec)) { r in
                #expect(r.status == .created, "\(String(buffer: r.body))")
            }
            try await client.execute(uri: "/api/v1/reports/orders_by_month/run", method: .get, headers: auth(f, "boss_zhang")) { r in
                #expect(r.status == .ok)
                let body = String(buffer: r.body)
                // A sales manager's scope is their team: 赵敏's order (another team) is not counted.
                #expect(body.contains("[\"2026-11\",3,\"60000\"]"), "\(body)")
            }
            // Shared with sales managers only: a rep neither sees nor runs it.
            try await client.execute(uri: "/api/v1/reports/orders_by_month/run", method: .get, headers: auth(f, "li")) { r in
                #expect(r.status == .notFound)
            }
            let bad = spec.replacingOccurrences(of: "\"total\"", with: "\"totl\"").replacingOccurrences(of: "orders_by_month", with: "broken")
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: auth(f, "admin"), body: ByteBuffer(string: bad)) { r in
                #expect(r.status == .badRequest)
                #expect(String(buffer: r.body).contains("totl"))
            }
            try await client.execute(uri: "/api/v1/reports/orders_by_month", method: .delete, headers: auth(f, "admin")) { r in
                #expect(r.status == .noContent)
            }
        }
    }
}
