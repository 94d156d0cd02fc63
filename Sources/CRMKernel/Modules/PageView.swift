import Foundation

/// A module's own rendering of a page: a mustache template the module ships in its folder and a
/// function that computes what the template shows, run for the caller (their scope, hidden fields
/// and grants apply to every read and call it makes).
///
/// The web interface renders the template with every `{{value}}` HTML-escaped (a template with
/// `{{{…}}}`, `{{&…}}`, a delimiter change or a pragma is refused), inside its normal layout,
/// and adds to the data: `csrf` (the session's form token), `form_token` (a fresh one-time
/// token at each use, for double-submit protection), `lang` (`zh`/`en`), `zh`/`en` (booleans),
/// `here` (the request's path and query) and, when the page was reached after a save, `saved`.
/// Forms post to `POST /do/<module>/<function>` (see docs/module-pages.md).
public struct PageView: Sendable {
    /// The template.
    public var template: PageTemplate
    /// What the template shows, computed for the caller.
    public var data: @Sendable (PageRequest) throws -> PageData

    /// Creates a view.
    public init(template: PageTemplate, data: @escaping @Sendable (PageRequest) throws -> PageData) {
        self.template = template
        self.data = data
    }
}

/// A mustache template of a module: a file `<name>.mustache` in the module's `Pages/` folder,
/// declared in Package.swift as a resource (`resources: [.copy("Scripts"), .copy("Pages")]`), or
/// text given inline (tests, small modules).
public struct PageTemplate: Sendable, Hashable {
    enum Source: Sendable, Hashable {
        case text(String)
        case file(name: String, locations: [URL])
    }

    let source: Source

    /// The template `<name>.mustache` in folder `folder` beside the calling file, found like the
    /// module's stock scripts (the resource bundle beside the executable, under `../share/crm/`,
    /// then the source folder): `PageTemplate("aging", target: "CRMFinance")`.
    public init(_ name: String, target: String, folder: String = "Pages", sourceFile: String = #filePath) {
        let scripts = StockScripts(target: target, folder: folder, sourceFile: sourceFile)
        source = .file(name: name, locations: scripts.candidates(module: "", environment: [:]))
    }

    /// A template given as text.
    public init(text: String) {
        source = .text(text)
    }

    /// The template's text; `notFound` when no location has the file.
    public func load() throws -> String {
        switch source {
        case .text(let text): return text
        case .file(let name, let locations):
            for folder in locations {
                let url = folder.appendingPathComponent(name + ".mustache")
                if let data = FileManager.default.contents(atPath: url.path) { return String(decoding: data, as: UTF8.self) }
            }
            throw KernelError(.notFound, "page template \(name).mustache not found (looked in \(locations.map(\.path).joined(separator: ", ")))")
        }
    }
}

/// The language a page is shown in.
public enum PageLanguage: String, Sendable, Hashable {
    /// Chinese (zh-CN), the default.
    case zh
    /// English.
    case en
}

/// One request of a module page, as its data function sees it: who asks (their access applies
/// to every read here and every call of the module's functions), the record id of a `:id` page
/// or section, the query parameters and the language.
public struct PageRequest: Sendable {
    /// The workspace's store.
    public let store: RecordStore
    /// The signed-in user.
    public let user: ActingUser
    /// Their permissions.
    public let access: AccessGuard
    /// The `:id` of the path (or the record a section is drawn on); nil for a page without one.
    public let id: String?
    /// The query parameters (the first value of each name).
    public let query: [String: String]
    /// The language the page is shown in.
    public let language: PageLanguage
    /// The request's path and query (to come back to after a form).
    public let here: String
    private let caller: @Sendable (String, [ScriptValue]) throws -> ScriptValue

    /// Creates a request; `call` runs one of the module's functions as the user, with the access
    /// the function declares (the web interface passes the server's action call).
    public init(store: RecordStore, user: ActingUser, access: AccessGuard, id: String?, query: [String: String],
                language: PageLanguage, here: String, call: @escaping @Sendable (String, [ScriptValue]) throws -> ScriptValue) {
        self.store = store
        self.user = user
        self.access = access
        self.id = id
        self.query = query
        self.language = language
        self.here = here
        caller = call
    }

    /// Calls the module's function `name` (`crm.<module>.<name>`) as the user; refused as over
    /// the API when their role may not.
    public func call(_ name: String, _ arguments: [ScriptValue] = []) throws -> ScriptValue {
        try caller(name, arguments)
    }

    /// Reads as the user: their scope and hidden fields apply.
    public func read<T>(_ body: (RecordReader) throws -> T) throws -> T {
        try store.read(as: access, body)
    }

    /// The record id of the path; `notFound` when there is none or it is not a number.
    public func recordID() throws -> Int64 {
        guard let id, let value = Int64(id) else { throw KernelError(.notFound, "no record \(id ?? "")") }
        return value
    }

    /// The path's record of `entity`, read as the user; `notFound` when there is none or the
    /// user may not see it.
    public func record(_ entity: String) throws -> Record {
        let id = try recordID()
        guard let record = try read({ try $0.get(entity, id) }) else { throw KernelError.recordNotFound(entity, id) }
        return record
    }

    /// `zh` or `en` by the page's language.
    public func text(_ zh: String, _ en: String) -> String { language == .en ? en : zh }

    /// A label in the page's language.
    public func text(_ label: LocalizedText) -> String { language == .en ? label.en : label.zh }

    /// `path` with the request's query parameters, `name` set to `value` (a next-page link).
    public func link(_ path: String, setting name: String, to value: String) -> String {
        var q = query
        q[name] = value
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return path + "?" + q.keys.sorted().map { "\(enc($0))=\(enc(q[$0] ?? ""))" }.joined(separator: "&")
    }

    /// The name of record `id` of `entity` as the user sees it (its title field, else `name`),
    /// or `#id` when they may not see it.
    public func title(_ entity: String, _ id: Int64) -> String {
        guard let schema = store.schema.entities[entity], let record = try? store.get(entity, id, as: access) else { return "#\(id)" }
        let field = entity == "user" ? "display_name" : (schema.definition.titleField ?? "name")
        if !record[field].isEmpty { return record[field].description }
        return record["name"].isEmpty ? "#\(id)" : record["name"].description
    }

    /// A non-empty query parameter.
    public func parameter(_ name: String) -> String? {
        guard let value = query[name], !value.isEmpty else { return nil }
        return value
    }
}
