import CRMKernel

/// Payroll reports: cost by team and month over locked runs, and the difference between two runs.
enum PayrollReports {
    /// `{team, period, gross, tax, net, employer_cost, headcount}` rows (fen) for locked payslips of `from`…`to`.
    static func cost(_ reader: RecordReader, from: String, to: String) throws -> [ScriptValue] {
        let rows = try reader.aggregate("payslip", groupBy: [GroupKey("team"), GroupKey("period")],
                                        measures: [.sum("gross"), .sum("tax"), .sum("net"), .sum("insurance_employer"), .sum("fund_employer"), .count],
                                        filter: .all([.eq("locked", .bool(true)), .condition(field: "period", op: .ge, value: .text(from)),
                                                      .condition(field: "period", op: .le, value: .text(to))]))
        return rows.map { r in
            let gross = Fen.of(r.values[0])
            return .table(["team": .value(r.group["team"] ?? .null), "period": .value(r.group["period"] ?? .null),
                           "gross": .value(.integer(gross)), "tax": .value(.integer(Fen.of(r.values[1]))), "net": .value(.integer(Fen.of(r.values[2]))),
                           "employer_cost": .value(.integer(gross + Fen.of(r.values[3]) + Fen.of(r.values[4]))), "headcount": .value(r.values[5])])
        }
    }

    /// Per person: each money column of run `b` minus run `a` where they differ.
    static func diff(_ reader: RecordReader, _ a: Int64, _ b: Int64) throws -> [ScriptValue] {
        for id in [a, b] {
            guard try reader.get("payroll_run", id) != nil else { throw KernelError.recordNotFound("payroll_run", id) }
        }
        func slips(_ run: Int64) throws -> [Int64: Record] {
            let list = try reader.find(Query("payslip", filter: .eq("run", .integer(run)), limit: 1_000_000)).records
            return Dictionary(list.compactMap { s in s["user"].integerValue.map { ($0, s) } }) { x, _ in x }
        }
        let left = try slips(a), right = try slips(b)
        var out: [ScriptValue] = []
        for user in Set(left.keys).union(right.keys).sorted() {
            var changes: [String: ScriptValue] = [:]
            for (name, _, _) in PayrollEntities.payslipMoney.prefix(11) {
                let d = Fen.of(right[user]?[name]) - Fen.of(left[user]?[name])
                if d != 0 { changes[name] = .value(.integer(d)) }
            }
            guard !changes.isEmpty else { continue }
            out.append(.table(["user": .value(.integer(user)), "changes": .table(changes),
                               "only_in": .value(left[user] == nil ? .text("b") : right[user] == nil ? .text("a") : .null)]))
        }
        return out
    }
}
