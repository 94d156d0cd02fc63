import CRMKernel
import CRMPayroll
import Foundation

/// Payroll at scale: a year of credit-ledger entries spread over the employees, then one month's
/// payroll run (every employee's Lua plan, contributions and cumulative 个税, payslips written) and
/// `simulate` for one person and one month, through the module's own functions.
enum PayrollBench {
    struct Results: Codable {
        var employees: Int
        var credits: Int
        var runSeconds: Double
        var simulateOne: Latency
    }

    static func measure(_ dir: URL, employees: Int, credits: Int, progress: (String) -> Void) throws -> Results {
        let host = try KernelBench.open(dir, scripts: true)
        defer { host.workspace.close() }  // frees its connections and Lua state when the section ends
        let store = host.workspace.store
        progress("payroll: \(employees) employees with pay profiles")
        var users: [Int64] = []
        try store.write(as: .system) { tx in
            for i in 0..<employees {
                let u = try tx.create("user", ["name": .text("emp\(i)"), "role": .text("sales_rep")]).id
                users.append(u)
                _ = try tx.create("pay_profile", ["user": .integer(u), "base_salary": .decimal(Decimal(8_000 + i % 7 * 1_000)), "allowance": .decimal(500),
                                                  "special_deduction": .decimal(2_000), "city": .text("深圳"), "insurance_base": .decimal(10_000),
                                                  "fund_base": .decimal(10_000), "active": .bool(true)])
            }
            _ = try tx.create("commission_rule", ["name": .text("回款提成"), "plan": .text("receipts_accelerated"), "effective_from": .text("2026-01-01")])
        }
        progress("payroll: loading \(credits) credit entries over 2026")
        var random = SeededRandom(seed: 7)
        for chunk in stride(from: 0, to: credits, by: 20_000) {
            let rows: [[String: Value]] = (chunk..<min(chunk + 20_000, credits)).map { i in
                let user = users[i % users.count], month = i / users.count % 12 + 1
                let receipt = i % 2 == 0
                let fen = Int64(Int.random(in: 100_000...5_000_000, using: &random))
                return ["user": .integer(user), "owner": .integer(user), "date": .text(String(format: "2026-%02d-%02d", month, 1 + i % 28)),
                        "kind": .text(receipt ? "receipt" : "order"), "base": .text(receipt ? "receipt" : "sales"),
                        "amount": .decimal(Decimal(fen) / 100), "margin": .decimal(Decimal(fen * 3 / 10) / 100)]
            }
            let result = try store.bulkCreate("commission_credit", rows, options: BulkOptions(batchSize: 5000))
            guard result.created == rows.count else { throw KernelError(.validation, "bench credits refused: \(result.failures.first?.error.description ?? "")") }
        }
        let functions = PayrollPlugin().scriptFunctions
        func call(_ name: String, _ args: [ScriptValue]) throws -> ScriptValue {
            guard let f = functions.first(where: { $0.name == name }) else { throw KernelError(.notFound, "crm.payroll.\(name)") }
            return try f.body(ScriptCall(arguments: args, user: .system, store: store, transaction: nil))
        }
        progress("payroll: running 2026-11 for \(employees) employees")
        let start = DispatchTime.now().uptimeNanoseconds
        let run = try call("run", [.value(.text("2026-11"))])
        let runSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard run.fields?["headcount"]?.integer == Int64(employees) else { throw KernelError(.validation, "bench payroll run wrote \(run)") }
        progress("payroll: simulate one person and one month, 50 times")
        var samples: [Double] = []
        for i in 0..<50 {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = try call("simulate", [.value(.integer(users[i % users.count])), .value(.text(String(format: "2026-%02d", i % 12 + 1)))])
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        }
        return Results(employees: employees, credits: try store.count("commission_credit"), runSeconds: runSeconds, simulateOne: Latency(samples))
    }
}
