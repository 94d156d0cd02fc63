import Foundation

/// An HTTP route a plugin adds beyond the JSON actions: an upload, a download, a public form.
///
/// Signed-in routes are mounted at `/api/v1/modules/<module id>/<path>`, public ones at
/// `/public/<module id>/<path>`; a disabled module's routes answer 404.
public struct PluginRoute: Sendable {
    /// The HTTP method.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case get = "GET", post = "POST", put = "PUT", delete = "DELETE"
    }

    /// Who may call the route.
    public enum Audience: Sendable, Hashable {
        /// A signed-in user (401 without a token); `requires`, when set, is checked first.
        case signedIn(requires: FunctionAccess?)
        /// Anyone, limited per client address: `limit.requests` per `limit.seconds`.
        case anyone(limit: RateLimit)
    }

    /// What the request body is.
    public enum Body: Sendable, Hashable {
        /// No body is read.
        case none
        /// A JSON document (`request.json`).
        case json
        /// A file: the raw body (name from `?name=`) or the first file part of a
        /// `multipart/form-data` body (its other parts become `request.fields`).
        case upload
    }

    /// The method.
    public var method: Method
    /// The path under the module's prefix, words separated by `/`, `:name` for a parameter:
    /// `followups/:followup/attachments`.
    public var path: String
    /// One line on what it does (listed with the module by `GET /api/v1/modules`).
    public var summary: String
    /// Who may call it.
    public var audience: Audience
    /// What its body is.
    public var body: Body
    /// The work; throw `KernelError` (`notFound`, `forbidden`, `validation` ...) to refuse.
    public var handle: @Sendable (RouteRequest) throws -> RouteResponse
    /// A second, absolute path a public route also answers at, outside its module's prefix
    /// (`/public/leads/:form` for the marketing module's `leads/:form`, as the contract names it);
    /// it shares the route's rate limit. Nil: none.
    public var alias: String?

    /// Creates a route.
    public init(_ method: Method, _ path: String, summary: String, audience: Audience, body: Body = .none,
                handle: @escaping @Sendable (RouteRequest) throws -> RouteResponse) {
        self.method = method
        self.path = path
        self.summary = summary
        self.audience = audience
        self.body = body
        self.handle = handle
    }

    /// This route, also answering at `path` (see `alias`).
    public func aliased(_ path: String) -> PluginRoute {
        var copy = self
        copy.alias = path
        return copy
    }

    /// Whether the route is public.
    public var isPublic: Bool { if case .anyone = audience { return true } else { return false } }

    /// The full path the server mounts for `module`.
    public func mountPath(module: String) -> String {
        (isPublic ? "/public/" : "/api/v1/modules/") + module + "/" + path
    }

    /// The parameter names in `path` (`followup` for `:followup`).
    public var parameterNames: [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }
}

/// How often a client address may call a public route.
public struct RateLimit: Sendable, Hashable {
    /// Requests allowed in each window.
    public var requests: Int
    /// The window, in seconds.
    public var seconds: Int

    /// Creates a limit of `requests` per `seconds`.
    public init(requests: Int, perSeconds seconds: Int) {
        self.requests = requests
        self.seconds = seconds
    }
}

/// A file received by an upload route.
public struct UploadedFile: Sendable, Hashable {
    /// The file name the client gave (may be empty).
    public var name: String
    /// The content type the client gave, if any.
    public var contentType: String?
    /// The bytes.
    public var data: Data

    /// Creates a file.
    public init(name: String, contentType: String?, data: Data) {
        self.name = name
        self.contentType = contentType
        self.data = data
    }
}

/// One call of a plugin route.
public struct RouteRequest: Sendable {
    /// The workspace (its folder for files, its store).
    public let workspace: Workspace
    /// The signed-in user, or the system for a public route.
    public let user: ActingUser
    /// The caller's permissions; nil on public routes.
    public let access: AccessGuard?
    /// Path parameters by name.
    public let parameters: [String: String]
    /// Query parameters (the last value of each name).
    public let query: [String: String]
    /// The JSON body (`.json` routes), as script values.
    public let json: ScriptValue?
    /// The file (`.upload` routes).
    public let file: UploadedFile?
    /// Text fields of a multipart upload.
    public let fields: [String: String]

    /// Creates a request (the server does).
    public init(workspace: Workspace, user: ActingUser, access: AccessGuard?, parameters: [String: String], query: [String: String],
                json: ScriptValue? = nil, file: UploadedFile? = nil, fields: [String: String] = [:]) {
        self.workspace = workspace
        self.user = user
        self.access = access
        self.parameters = parameters
        self.query = query
        self.json = json
        self.file = file
        self.fields = fields
    }

    /// The workspace's store.
    public var store: RecordStore { workspace.store }

    /// Path parameter `name` as a record id; a 404-style error when it is not one.
    public func id(_ name: String) throws(KernelError) -> Int64 {
        guard let text = parameters[name], let id = Int64(text) else { throw KernelError(.notFound, "no such \(name): '\(parameters[name] ?? "")'") }
        return id
    }

    /// Record `id` of `entity` if it exists and the caller may see it; `notFound` otherwise,
    /// so a record outside the caller's scope looks exactly like a missing one.
    public func visibleRecord(_ entity: String, _ id: Int64) throws -> Record {
        let schema = try store.schema.entity(entity)
        guard let record = try store.get(entity, id), access.map({ $0.canSee(record, schema) }) ?? true else {
            throw KernelError.recordNotFound(entity, id)
        }
        return record
    }
}

/// What a plugin route answers.
public struct RouteResponse: Sendable {
    /// The body kinds.
    public enum Body: Sendable {
        /// JSON of a script value (records shown without the caller's hidden fields).
        case json(ScriptValue)
        /// A file to download, with its content type and the name to save it under.
        case file(Data, contentType: String, fileName: String)
    }

    /// The HTTP status code.
    public var status: Int
    /// The body.
    public var body: Body

    /// Creates a response.
    public init(status: Int = 200, _ body: Body) {
        self.status = status
        self.body = body
    }

    /// A JSON answer.
    public static func json(_ value: ScriptValue, status: Int = 200) -> RouteResponse { RouteResponse(status: status, .json(value)) }

    /// A download.
    public static func file(_ data: Data, contentType: String, fileName: String) -> RouteResponse {
        RouteResponse(.file(data, contentType: contentType, fileName: fileName))
    }
}
