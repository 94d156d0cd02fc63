import Foundation

/// What a report run gets: a reader under the caller's access, the caller's guard, the
/// checked arguments and the language of labels.
public struct ReportContext {
    /// Reads under the caller's access (scope and hidden fields apply).
    public var reader: RecordReader
    /// The caller's access (nil: the system).
    public var access: AccessGuard?
    /// The checked parameter values.
    public var arguments: ReportArguments
    /// `zh` or `en`, for headings.
    public var language: String

    /// Creates a context.
    public init(reader: RecordReader, access: AccessGuard?, arguments: ReportArguments, language: String = "zh") {
        self.reader = reader
        self.access = access
        self.arguments = arguments
        self.language = language
    }
}

/// A report anyone with access can run by name: a module's built-in report (declared in Swift
/// through `Plugin.reports`), a script's `crm.report(name, spec)`, or one an administrator saved.
public struct ReportDefinition: Sendable {
    /// Where it comes from.
    public enum Origin: Sendable, Hashable {
        /// A module's built-in report (the plugin id).
        case module(String)
        /// Declared by the company's scripts (`scripts/x.lua:12`).
        case script(String?)
        /// Saved by an administrator (the `report_template` record id).
        case saved(Int64)

        /// `module:opportunities`, `script`, `saved` — for listings.
        public var label: String {
            switch self {
            case .module(let id): return "module:\(id)"
            case .script: return "script"
            case .saved: return "saved"
            }
        }
    }

    /// Unique name (`opportunities.funnel`, `sales_monthly`).
    public var name: String
    /// Title (`销售漏斗`).
    public var title: LocalizedText
    /// Its parameters, in form order.
    public var parameters: [ReportParameter]
    /// Entities it reads: the caller needs read access to each to see or run it.
    public var entities: [String]
    /// Roles it is shared with (empty: every role that can read its entities); administrators always may.
    public var roles: [String]
    /// Where it comes from.
    public var origin: Origin
    /// The declarative spec, for reports defined by one (nil for Swift reports).
    public var spec: ReportSpec?
    /// Produces the table.
    public var run: @Sendable (ReportContext) throws -> ReportTable

    /// A report computed in Swift (a module's funnel, forecast, aging ...).
    public init(name: String, title: LocalizedText, parameters: [ReportParameter] = [], entities: [String], roles: [String] = [],
                origin: Origin, run: @escaping @Sendable (ReportContext) throws -> ReportTable) {
        self.name = name
        self.title = title
        self.parameters = parameters
        self.entities = entities
        self.roles = roles
        self.origin = origin
        self.run = run
    }

    /// A report defined by a declarative spec (entity, filters, group-by, measures).
    public init(name: String, spec: ReportSpec, origin: Origin) {
        self.name = name
        self.title = spec.title ?? LocalizedText(name)
        self.parameters = spec.parameters
        self.entities = [spec.entity]
        self.roles = spec.roles
        self.origin = origin
        self.spec = spec
        self.run = { context in try ReportEngine.run(name: name, spec: spec, context) }
    }

    /// Whether `access` may see and run it (nil: the system may).
    public func allows(_ access: AccessGuard?) -> Bool {
        guard let access, !access.isAdministrator else { return true }
        if !roles.isEmpty, !roles.contains(access.role?.id ?? "") { return false }
        return entities.allSatisfy { access.allows(.read, on: $0) }
    }
}
