import CRMKernel
import CRMServer
import Foundation
import GRDB

/// What the API hardening (issue 19) adds to each request, measured on the code the server runs
/// and set against what a request costs in the same run (the HTTP phases' rates).
///
/// The checks a request passes that an unhardened server would not:
/// - **strict JSON** (`JSONValue.parse`: numbers kept whole, duplicate keys and depth refused,
///   errors by line and column) in place of Foundation's `JSONDecoder` — timed both ways on the
///   benchmark's own create body; the difference is the cost;
/// - **text rules** (`TextRules.problem`: control characters, invisible-only text) on every text
///   value of the body;
/// - **the query time budget** (`QueryBudget.run`: a progress handler installed and removed
///   around each read query) — timed around a one-row primary-key query with and without it,
///   counted ten times per create (查重 and the unique checks make fewer) and once per read;
/// - **the record version** (`ETag` header, `If-Match` read) once per request.
///
/// Connection caps and header/idle timeouts act once per connection, not per request, and the
/// benchmark's connections are kept alive: they are not counted here.
enum HardeningCost {
    struct Results: Codable {
        /// Microseconds per request of each check, and of the lenient decoder it replaced.
        var strictJSONMicroseconds: Double
        var foundationJSONMicroseconds: Double
        var textRulesMicroseconds: Double
        var queryBudgetMicroseconds: Double
        var versionHeaderMicroseconds: Double
        /// Added microseconds per create and per GET by id (upper bounds, see above).
        var perCreateMicroseconds: Double
        var perReadMicroseconds: Double
        /// Those as a share of one request's CPU time in this run (cores / requests per second).
        var createShare: Double
        var readShare: Double
    }

    /// The bench's create body (as `HTTPBench` sends it).
    static let createBody = Data(#"{"name":"压测客户10000042号科技有限公司","phone":"19010000042","industry":"制造业","source":"展会推荐","city":"深圳"}"#.utf8)

    /// Budgeted queries counted per create: an upper bound on what 查重 and the unique checks run.
    static let queriesPerCreate = 10.0

    static func measure(createsPerSecond: Double, readsPerSecond: Double, cores: Int, iterations: Int = 200_000) throws -> Results {
        let strict = time(iterations) { keep(try? JSONValue.parse(createBody)) }
        let decoder = JSONDecoder()
        let lenient = time(iterations) { keep(try? decoder.decode(JSONValue.self, from: createBody)) }
        let texts = (try? JSONValue.parse(createBody).object("body"))?.values.compactMap { value -> String? in
            if case .string(let s) = value { return s }
            return nil
        } ?? []
        let textRules = time(iterations) { for t in texts { keep(TextRules.problem(t)) } }
        let (budgeted, bare) = try queryBudget(iterations: iterations)
        let version = time(iterations) {
            let tag = "\"\(Int64.random(in: 1...9))\""
            keep(Int64(tag.dropFirst().dropLast()))
        }
        let budget = max(0, budgeted - bare)
        let perCreate = max(0, strict - lenient) + textRules + budget * queriesPerCreate + version
        let perRead = budget + version
        func share(_ micros: Double, _ rate: Double) -> Double { rate > 0 ? micros / (Double(cores) / rate * 1e6) : 0 }
        return Results(strictJSONMicroseconds: strict, foundationJSONMicroseconds: lenient, textRulesMicroseconds: textRules,
                       queryBudgetMicroseconds: budget, versionHeaderMicroseconds: version,
                       perCreateMicroseconds: perCreate, perReadMicroseconds: perRead,
                       createShare: share(perCreate, createsPerSecond), readShare: share(perRead, readsPerSecond))
    }

    /// Microseconds per call of a primary-key query with and without the kernel's time budget.
    private static func queryBudget(iterations: Int) throws -> (Double, Double) {
        let queue = try DatabaseQueue()
        return try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, '压测')")
            let statement = try db.makeStatement(sql: "SELECT name FROM t WHERE id = ?")
            let bare = time(iterations) { keep(try? String.fetchOne(statement, arguments: [1])) }
            let budgeted = time(iterations) { keep(try? QueryBudget.run(db) { try String.fetchOne(statement, arguments: [1]) }) }
            return (budgeted, bare)
        }
    }

    /// Keeps the optimizer from dropping a result nobody reads.
    @_optimize(none) private static func keep<T>(_ value: T) {}

    /// Microseconds per run of `body`, the best of three rounds (the machine is shared).
    private static func time(_ iterations: Int, _ body: () -> Void) -> Double {
        (0..<3).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<iterations { body() }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations) / 1000
        }.min() ?? 0
    }
}
