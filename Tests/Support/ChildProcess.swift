import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ends a child process a test started, for certain and within bounds: a polite signal and a
/// grace period, then SIGKILL, each followed by a bounded wait until Foundation has seen it exit,
/// so nothing a test launched outlives it, whether the test passed, failed or threw.
///
/// Foundation's `waitUntilExit` is not used: it was seen to hang on Linux when called from a
/// task. The exit is polled (`isRunning`) instead.
public enum ChildProcess {
    /// Stops `process`: SIGTERM and up to `grace` seconds to exit on its own (none: straight to
    /// SIGKILL), then SIGKILL and up to 10 seconds more. Returns the exit status, 128 + the
    /// signal when a signal ended it, or nil when it was never started or could not be reaped.
    @discardableResult
    public static func stop(_ process: Process, grace: TimeInterval = 15) -> Int32? {
        let pid = process.processIdentifier
        guard pid > 0 else { return nil }
        if let status = reap(process) { return status }
        if grace > 0 {
            kill(pid, SIGTERM)
            if let status = wait(process, within: grace) { return status }
        }
        kill(pid, SIGKILL)
        return wait(process, within: 10)
    }

    /// Waits up to `seconds` for `process` to exit; its status as `stop` gives it, or nil.
    public static func wait(_ process: Process, within seconds: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let status = reap(process) { return status }
            if Date() >= deadline { return nil }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// The status of `process` once it has exited, nil while it runs. Foundation reaps its own
    /// children (its SIGCHLD source calls `waitpid`); reaping them here as well raced with it:
    /// a pid freed early could be handed to the next `Process` while Foundation still tracked
    /// the old one, and a full test run crashed inside `Process.run()`.
    static func reap(_ process: Process) -> Int32? {
        guard !process.isRunning else { return nil }
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }
}
