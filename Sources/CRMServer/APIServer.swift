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
    let accounts: Accounts
    let authenticator: Authenticator
    let threads: NIOThreadPool
    let writer: WriteCoalescer
    let logger: Logger
    let rateLimiter = RateLimiter()

    /// Creates a server for `host` (not yet listening).
    public init(host: ScriptHost, configuration: ServerConfiguration, logger: Logger = Logger(label: "crm.server")) {
        self.host = host
        self.configuration = configuration
        self.logger = logger
        accounts = Accounts(store: host.workspace.store)
        authenticator = Authenticator(store: host.workspace.store)
        threads = NIOThreadPool(numberOfThreads: max(2, configuration.workerThreads))
        threads.start()
        writer = WriteCoalescer(store: host.workspace.store)
    }

    /// Stops the worker threads (after `run` returns, or when a test is done with the router).
    public func shutdown() async {
        writer.stop()
        try? await threads.shutdownGracefully()
    }

    var store: RecordStore { host.workspace.store }

    /// Runs store work on the worker threads, so the event loops never block on SQLite or Lua.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await threads.runIfActive(body)
    }

    /// The router with every route.
    public func router() -> Router<CRMRequestContext> {
        let router = Router(context: CRMRequestContext.self)
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.get("/healthz") { _, _ in Self.json(.ok, "{\"status\":\"ok\"}") }
        addAuthRoutes(router)
        addRecordRoutes(router)
        addSchemaRoutes(router)
        addActionRoutes(router)
        addNotificationRoutes(router)
        addApprovalRoutes(router)
        addAdminRoutes(router)
        addEventRoutes(router)
        addPageRoutes(router)
        addModuleRoutes(router)
        return router
    }

    /// Serves until SIGTERM or SIGINT, then finishes the requests in flight and stops.
    /// `onListening` receives the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await ConsumerServices.catchUp(self)
        let services = BackgroundServices(server: self)
        let app = Application(
            router: router(),
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
            if request.method == .get || request.method == .head { return try work() }
            return try await self.blocking(work)
        }
    }

    /// The signed-in caller; 401 without a good token, 403 while an initial password is unchanged.
    func principal(_ request: Request, allowPasswordChange: Bool = false) throws -> Principal {
        let principal = try authenticator.principal(for: request)
        if principal.mustChangePassword && !allowPasswordChange {
            throw APIError(.forbidden, "change the initial password first: POST /api/v1/auth/password", type: "password-change-required")
        }
        return principal
    }

    /// Runs `body`, answering errors as problem+json. The request's Lua hooks share one
    /// `ScriptBudget` (instructions and wall clock), opened here.
    func respond(_ body: () async throws -> Response) async -> Response {
        do { return try await ScriptBudget.scope(ScriptBudget(.request)) { try await body() } } catch {
            let api = APIError.from(error)
            if api.status == .internalServerError { logger.error("internal error: \(error)") }
            var headers: HTTPFields = [.contentType: "application/problem+json"]
            headers.append(contentsOf: api.headers)
            return Response(status: api.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: api.body)))
        }
    }

    /// The request body as JSON, refusing bodies over the limit with 413.
    func body(_ request: Request) async throws -> JSONValue {
        let buffer = try await rawBody(request)
        guard buffer.readableBytes > 0 else { throw APIError(.badRequest, "a JSON body is required") }
        return try JSONValue.parse(Data(buffer.readableBytesView))
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

    /// A JSON response.
    static func json(_ status: HTTPResponse.Status, _ text: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
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
