import Foundation

/// Waits until `condition` holds, polling every 20 ms, up to `seconds`; false on timeout.
/// For what a helper process (an SMTP server, a gateway) does on its own time.
public func eventually(within seconds: Double = 15, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return try condition()
}
