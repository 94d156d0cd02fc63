import CRMKernel

/// 资金账户 movements and balances. Every approved receipt or refund, reversal and paid
/// expense writes one signed movement (in > 0) on its date; a balance is the opening balance
/// plus the movements up to a day.
public enum FundLedger {
    /// Writes a movement of `amount` fen (nothing for 0), as the system.
    static func record(_ tx: WriteContext, account: Value, date: String, amount: Int64, category: String, source: Record,
                       customer: Value = .null, summary: String) throws {
        guard amount != 0 else { return }
        _ = try tx.asSystem {
            try tx.create("fund_movement", ["account": account, "date": .text(date), "amount": FinanceMoney.value(amount),
                                            "category": .text(category), "source_entity": .text(source.entity),
                                            "source_id": .integer(source.id), "customer": customer, "summary": .text(summary)])
        }
    }

    /// One account's figures over a period.
    public struct Balance: Sendable, Hashable {
        /// The account.
        public var account: Int64
        /// Its name.
        public var name: String
        /// Balance at the start of the period (opening balance + earlier movements), fen.
        public var openingFen: Int64
        /// Money in during the period, fen.
        public var inFen: Int64
        /// Money out during the period (positive), fen.
        public var outFen: Int64
        /// Balance at the end of the period, fen.
        public var closingFen: Int64
    }

    /// Balances of every account the reader sees for `from`…`to` (inclusive, `YYYY-MM-DD`; nil
    /// `from`: since the beginning).
    public static func balances(_ reader: RecordReader, from: String?, to: String) throws -> [Balance] {
        let accounts = try reader.find(Query("fund_account", sort: [SortKey("id")], limit: 1000)).records
        let before = from.map { Filter.condition(field: "date", op: .lt, value: .text($0)) }
        var earlier: [Int64: Int64] = [:], ins: [Int64: Int64] = [:], outs: [Int64: Int64] = [:]
        if let before {
            for row in try reader.aggregate("fund_movement", groupBy: [GroupKey("account")], measures: [.sum("amount")], filter: before) {
                if let a = row.group["account"]?.integerValue { earlier[a] = FinanceMoney.fen(row.values[0]) }
            }
        }
        var period: [Filter] = [.condition(field: "date", op: .le, value: .text(to))]
        if let from { period.append(.condition(field: "date", op: .ge, value: .text(from))) }
        for (op, target) in [(FilterOperator.gt, true), (.lt, false)] {
            let filter = Filter.all(period + [.condition(field: "amount", op: op, value: .integer(0))])
            for row in try reader.aggregate("fund_movement", groupBy: [GroupKey("account")], measures: [.sum("amount")], filter: filter) {
                guard let a = row.group["account"]?.integerValue else { continue }
                if target { ins[a] = FinanceMoney.fen(row.values[0]) } else { outs[a] = -FinanceMoney.fen(row.values[0]) }
            }
        }
        return accounts.map { account in
            let opening = FinanceMoney.fen(account["opening_balance"]) + (earlier[account.id] ?? 0)
            let i = ins[account.id] ?? 0, o = outs[account.id] ?? 0
            return Balance(account: account.id, name: account["name"].textValue ?? "#\(account.id)", openingFen: opening,
                           inFen: i, outFen: o, closingFen: opening + i - o)
        }
    }

    /// The 收支明细 of `account` for `from`…`to`, oldest first, with the running balance (fen).
    public static func ledger(_ reader: RecordReader, account: Int64, from: String?, to: String, limit: Int = 1000) throws -> [(movement: Record, balanceFen: Int64)] {
        guard let opening = try balances(reader, from: from, to: to).first(where: { $0.account == account }) else {
            throw KernelError.recordNotFound("fund_account", account)
        }
        var filters: [Filter] = [.eq("account", .integer(account)), .condition(field: "date", op: .le, value: .text(to))]
        if let from { filters.append(.condition(field: "date", op: .ge, value: .text(from))) }
        let rows = try reader.find(Query("fund_movement", filter: .all(filters), sort: [SortKey("date"), SortKey("id")], limit: limit)).records
        var balance = opening.openingFen
        return rows.map { row in
            balance += FinanceMoney.fen(row["amount"])
            return (row, balance)
        }
    }
}
