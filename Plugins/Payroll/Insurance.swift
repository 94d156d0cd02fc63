import CRMKernel
import Foundation

/// 社保 and 公积金 per city, from the pack (`crm.payroll.insurance{...}`): the employee's and
/// the employer's rates in basis points (万分之一: 800 = 8 %) and the floor and cap of each base,
/// in fen. A profile's city picks its entry; `default` applies to the rest.
struct InsuranceRules: Sendable, Hashable {
    /// One city's rates and base limits.
    struct City: Sendable, Hashable {
        var insuranceEmployee: Int64
        var insuranceEmployer: Int64
        var fundEmployee: Int64
        var fundEmployer: Int64
        var insuranceMin: Int64
        var insuranceMax: Int64
        var fundMin: Int64
        var fundMax: Int64
    }

    /// Cities by name (`default` included).
    var cities: [String: City]

    /// The setting key.
    static let settingKey = "payroll.insurance"

    /// A plain default (养老 8/16, 医疗 2/8, 失业 0.5/0.5, 工伤 0/0.2, 生育 0/0.8; 公积金 5/5) so a
    /// workspace without the stock pack still computes; the stock pack declares its cities.
    static let standard = InsuranceRules(cities: ["default": City(insuranceEmployee: 1_050, insuranceEmployer: 2_550, fundEmployee: 500,
                                                                  fundEmployer: 500, insuranceMin: 0, insuranceMax: Int64.max / 4,
                                                                  fundMin: 0, fundMax: Int64.max / 4)])

    /// The rules in force.
    static func current(_ schema: Schema) -> InsuranceRules { schema.setting(settingKey, as: InsuranceRules.self) ?? .standard }

    /// The city's rules (or the default's).
    func city(_ name: String?) -> City? { name.flatMap { cities[$0] } ?? cities["default"] }

    /// Parses `{["深圳"] = {insurance = {employee = 1050, employer = 2550, min = 236000, max = 3894000},
    /// fund = {employee = 500, employer = 500, min = 236000, max = 3894000}}, default = {...}}`.
    static func parse(_ value: ScriptValue) throws -> InsuranceRules {
        guard let fields = value.fields, !fields.isEmpty else { throw bad("expects a table of cities ({default = {...}, [\"深圳\"] = {...}})") }
        var cities: [String: City] = [:]
        for (name, spec) in fields {
            func part(_ key: String) throws -> (Int64, Int64, Int64, Int64) {
                guard let t = spec.fields?[key]?.fields, let e = t["employee"]?.integer, let r = t["employer"]?.integer,
                      (0...10_000).contains(e), (0...10_000).contains(r) else {
                    throw bad("\(name).\(key): expects {employee = basis points, employer = basis points, min = fen, max = fen} with rates 0…10000")
                }
                let lo = t["min"]?.integer ?? 0, hi = t["max"]?.integer ?? Int64.max / 4
                guard lo >= 0, hi >= lo else { throw bad("\(name).\(key): min must be 0 or more and not above max") }
                return (e, r, lo, hi)
            }
            let i = try part("insurance"), f = try part("fund")
            cities[name] = City(insuranceEmployee: i.0, insuranceEmployer: i.1, fundEmployee: f.0, fundEmployer: f.1,
                                insuranceMin: i.2, insuranceMax: i.3, fundMin: f.2, fundMax: f.3)
        }
        return InsuranceRules(cities: cities)
    }

    private static func bad(_ message: String) -> KernelError { KernelError(.validation, "crm.payroll.insurance: \(message)") }
}

/// The month's contributions of one employee, in fen.
struct Contributions: Sendable, Hashable {
    var insuranceEmployee: Int64 = 0
    var insuranceEmployer: Int64 = 0
    var fundEmployee: Int64 = 0
    var fundEmployer: Int64 = 0

    /// Contributions on the bases (clamped to the city's floor and cap).
    init(_ city: InsuranceRules.City?, insuranceBase: Int64, fundBase: Int64) {
        guard let city else { return }
        let ib = insuranceBase > 0 ? min(max(insuranceBase, city.insuranceMin), city.insuranceMax) : 0
        let fb = fundBase > 0 ? min(max(fundBase, city.fundMin), city.fundMax) : 0
        insuranceEmployee = Fen.share(ib, city.insuranceEmployee, 10_000)
        insuranceEmployer = Fen.share(ib, city.insuranceEmployer, 10_000)
        fundEmployee = Fen.share(fb, city.fundEmployee, 10_000)
        fundEmployer = Fen.share(fb, city.fundEmployer, 10_000)
    }
}
