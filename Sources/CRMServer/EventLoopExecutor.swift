import Foundation
import NIOCore
import NIOPosix

/// Where the server's Swift tasks run. By default a request crosses threads twice: NIO's event
/// loop reads it and hands it to a task on Swift Concurrency's global pool, which hands the
/// answer back to the loop to write. Installing NIO's event loops as the global executor lets
/// the handler run on the loop that read the request, so a request needs no thread switch.
///
/// Measured on 2 cores (crm-bench, wrk, 16 connections): see BENCHMARKS.md, seventh session.
public enum EventLoopExecutor {
    /// The environment variable that keeps tasks on Swift's own pool when set to `pool`
    /// (`CRM_EXECUTOR=pool crm serve`): the way back should a deployment need it, and the
    /// benchmark's A/B switch.
    public static let variable = "CRM_EXECUTOR"

    /// Makes NIO's singleton event loops Swift Concurrency's global executor, for the whole
    /// process, unless `CRM_EXECUTOR=pool`. Call it first thing on the main thread, before any
    /// task is started; calling it again does nothing more. Returns false when it was not
    /// installed (switched off, or another executor already is): tasks then stay on the default
    /// pool and everything works as before, one thread switch slower each way.
    ///
    /// Short handlers (GET by id, a plain page of a list) then run on the loop itself. Work that
    /// may take long (writes, filtered lists, imports, reports, web pages, Lua routes) still
    /// goes to the server's worker threads (`APIServer.blocking`), so a loop never waits on it.
    @discardableResult
    public static func install(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard environment[variable] != "pool" else { return false }
        return installed
    }

    /// Whether the hook went in; NIO's call may be made once per process, so it is made here.
    private static let installed = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
