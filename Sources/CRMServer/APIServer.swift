import CRMKernel
import CRMScripting
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The HTTP API of one workspace (`crm serve`): records of every enabled entity, schema and
/// OpenAPI, sign-in, plugin actions and routes, pages, administration, plus the scheduler, webhook delivery and
/// background checkpoints running beside it.
public final class APIServer: Sendable {
    /// The workspace with its script pack.
    public let host: ScriptHost
    /// Listening address and limits.
    public let configuration: ServerConfiguration
    /// Sign-in, passwords and tokens.
    public let accounts: Accounts
    let authenticator: Authenticator
    let threads: NIOThreadPool
    let writer: WriteCoalescer
    /// Per-write timings, when `configuration.profileWrites` is on.
    let profiler: WriteProfiler?
    /// The server's log.
    public let logger: Logger
    let rateLimiter = RateLimiter()
    /// What is built in beside the API (the web interface, scheduled backups).
    let contributors: [any ServerContributor]

    /// Creates a server for `host` (not yet listening); `contributors` add their routes to its
    /// router and their background work to its services.
    public init(host: ScriptHost, configuration: ServerConfiguration, logger: Logger = Logger(label: "crm.server"),
                contributors: [any ServerContributor] = []) {
        self.host = host
        self.contributors = contributors
        self.configuration = configuration
        self.logger = logger
        accounts = Accounts(store: host.workspace.store)
        authenticator = Authenticator(store: host.workspace.store)
        threads = NIOThreadPool(numberOfThreads: max(2, configuration.workerThreads))
        threads.start()
        profiler = configuration.profileWrites ? WriteProfiler() : nil
        writer = WriteCoalescer(store: host.workspace.store, profiler: profiler)
    }

    /// The timings of API writes and background checkpoints collected since the server started
    /// (or since the last reset); empty unless `configuration.profileWrites` is on.
    public func writeProfile(reset: Bool = false) -> WriteProfile {
        profiler?.snapshot(reset: reset) ?? WriteProfile()
    }

    /// Stops the worker threads (after `run` returns, or when a test is done with the router).
    public func shutdown() async {
        writer.stop()
        try? await threads.shutdownGracefully()
    }

    /// The workspace's record store.
    public var store: RecordStore { host.workspace.store }

    /// Runs store work on the worker threads, so the event loops never block on SQLite or Lua.
    public func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await threads.runIfActive(body)
    }

    /// The router with every route.
    public func router() -> Router<CRMRequestContext> {
        let router = Router(context: CRMRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.get("/healthz") { _, _ in Self.json(.ok, "{\"status\":\"ok\"}") }
        addAuthRoutes(router)
        addRecordRoutes(router)
        addImportRoutes(router)
        addReportRoutes(router)
        addSchemaRoutes(router)
        addActionRoutes(router)
        addNotificationRoutes(router)
        addCommentRoutes(router)
        addMessageRoutes(router)
        addApprovalRoutes(router)
        addAdminRoutes(router)
        addEventRoutes(router)
        addPageRoutes(router)
        addModuleRoutes(router)
        for contributor in contributors { contributor.addRoutes(to: router, server: self) }
        return router
    }

    /// Serves until SIGTERM or SIGINT, then finishes the requests in flight and stops.
    /// `onListening` receives the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await ConsumerServices.catchUp(self)
        let services = BackgroundServices(server: self)
        let limits = ConnectionLimits(perAddress: configuration.maxConnectionsPerAddress)
        let app = Application(
            router: router(),
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionLimitHandler(limits: limits), ProtocolErrorHandler()],
                                                idleTimeout: .milliseconds(Int64(configuration.idleTimeout * 1000)))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "crm"),
            services: services.all,
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        do { try await app.runService() } catch {
            await shutdown()
            throw error
        }
        await shutdown()
    }

    // MARK: Helpers for routes

    /// Authenticates, runs `body` on a worker thread, and turns any error into problem+json.
    func authed(_ request: Request, _ context: CRMRequestContext, allowPasswordChange: Bool = false,
                _ body: @escaping @Sendable (Principal) throws -> Response) async -> Response {
        await respond {
            let budget = ScriptBudget.current
            let work: @Sendable () throws -> Response = {
                try ScriptBudget.within(budget) { try body(try self.principal(request, allowPasswordChange: allowPasswordChange)) }
            }
            // Reads are short and never wait for the writer: they run where the request is.
            // Writes may queue behind other writes and Lua hooks, so they go to the workers.
            // Filtered and searched lists can take long (up to the query budget): workers too.
            if request.method == .get || request.method == .head, !Self.mayBeCostly(request) { return try work() }
            return try await self.blocking(work)
        }
    }

    /// Whether a read carries a filter or search (cheap: one scan of the query string).
    static func mayBeCostly(_ request: Request) -> Bool {
        guard let query = request.uri.query, !query.isEmpty else { return false }
        return query.contains("filter=") || query.hasPrefix("q=") || query.contains("&q=")
    }

    /// The signed-in caller; 401 without a good token, 403 while an initial password is unchanged.
    func principal(_ request: Request, allowPasswordChange: Bool = false) throws -> Principal {
        let principal = try authenticator.principal(for: request)
        if principal.mustChangePassword && !allowPasswordChange {
            throw APIError(.forbidden, "change the initial password first: POST /api/v1/auth/password", type: "password-change-required")
        }
        return principal
    }

    /// The signed-in user behind a session or API token (the web interface's cookie carries one),
    /// or an unauthorized `APIError`. A user with an unchanged initial password gets a principal
    /// with `mustChangePassword` set; the caller decides what that user may still do.
    public func principal(token: String) throws -> Principal {
        try authenticator.principal(token: token)
    }

    /// Signs out: revokes the session token with this hash and forgets cached principals.
    public func signOut(tokenHash: String) throws {
        _ = try store.revokeToken(hash: tokenHash)
        authenticator.forgetAll()
    }

    /// Forgets cached principals (after a password change made outside the API routes).
    public func forgetCachedPrincipals() { authenticator.forgetAll() }

    /// Runs `body`, answering errors as problem+json. The request's Lua hooks share one
    /// `ScriptBudget` (instructions and wall clock), opened here.
    func respond(_ body: () async throws -> Response) async -> Response {
        do { return try await ScriptBudget.scope(ScriptBudget(.request)) { try await body() } } catch {
            let api = APIError.from(error)
            if api.status == .internalServerError { logger.error("internal error: \(error)") }
                return ProblemMiddleware.problem(api)
        }
    }

    /// The request body as JSON, refusing bodies over the limit with 413.
    func body(_ request: Request) async throws -> JSONValue {
        try Self.requireJSONContentType(request)
        let buffer = try await rawBody(request)
        guard buffer.readableBytes > 0 else { throw APIError(.badRequest, "a JSON body is required") }
        return try JSONValue.parse(Data(buffer.readableBytesView))
    }

    /// A body sent with a Content-Type other than JSON is 415 (no Content-Type is read as JSON).
    static func requireJSONContentType(_ request: Request) throws {
        guard let type = request.headers[.contentType] else { return }
        let media = type.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard media == "application/json" || media.hasSuffix("+json") else {
            throw APIError(.unsupportedMediaType, "the body must be JSON sent as Content-Type: application/json, not \(type)")
        }
    }

    /// The request body's bytes (possibly none), refusing bodies over the limit with 413.
    func rawBody(_ request: Request) async throws -> ByteBuffer {
        var request = request
        do { return try await request.collectBody(upTo: configuration.maxBodyBytes) } catch {
            throw APIError(.contentTooLarge, "the request body is larger than \(configuration.maxBodyBytes) bytes", type: "too-large")
        }
    }

    /// A JSON response from a writer's bytes.
    static func json(_ status: HTTPResponse.Status, _ writer: JSONWriter, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// A JSON response from bytes written elsewhere (a record written by the kernel).
    static func json(_ status: HTTPResponse.Status, bytes: [UInt8], headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON response.
    static func json(_ status: HTTPResponse.Status, _ text: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Something built into `crm serve` beside the API: routes on the server's router (the web
/// interface), work repeated in the background while the server runs (scheduled backups), or both.
public protocol ServerContributor: Sendable {
    /// Adds the routes to `router`; `server` gives the workspace, sign-in and worker threads.
    /// None by default.
    func addRoutes(to router: Router<CRMRequestContext>, server: APIServer)
    /// Work the server repeats until it shuts down, beside its own background services.
    /// None by default.
    func backgroundWork(for server: APIServer) -> [BackgroundWork]
}

extension ServerContributor {
    /// No routes.
    public func addRoutes(to router: Router<CRMRequestContext>, server: APIServer) {}
    /// No background work.
    public func backgroundWork(for server: APIServer) -> [BackgroundWork] { [] }
}

/// The earlier name of `ServerContributor`, kept for integrators' code.
public typealias RouteContributor = ServerContributor

/// A piece of work a `ServerContributor` has the server repeat: run at start, then every
/// `interval`, until graceful shutdown. It runs beside the requests (not on their threads); an
/// error is logged and the next round goes on.
public struct BackgroundWork: Sendable {
    /// The name in the server's log.
    public var name: String
    /// The pause between two rounds.
    public var interval: Duration
    /// One round.
    public var body: @Sendable () async throws -> Void

    /// Work named `name`, run every `interval`.
    public init(name: String, every interval: Duration, _ body: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.body = body
    }
}

/// One structured log line per request: method, path, status, time.
struct RequestLogMiddleware: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: CRMRequestContext, next: (Request, CRMRequestContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let ms = (ContinuousClock.now - start) / .milliseconds(1)
        logger.info("request", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)",
                                          "status": "\(response.status.code)", "ms": "\(String(format: "%.2f", ms))"])
        return response
    }
}
