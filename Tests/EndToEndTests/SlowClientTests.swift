import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 19, slow clients: against the real `crm serve`, with real sockets.
struct SlowClientTests {
    /// A TCP connection to the server, read with a bounded wait.
    final class RawSocket {
        let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard rc == 0 else { throw ServerProcess.Failure(message: "connect failed: \(errno)") }
        }

        deinit { close(fd) }

        func send(_ text: String) { _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) } }

        /// Reads until `marker` arrives, the connection closes or `seconds` pass.
        func readUntil(_ marker: String, within seconds: Double) -> String {
            var timeout = timeval(tv_sec: Int(seconds), tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !String(decoding: data, as: UTF8.self).contains(marker) {
                let n = recv(fd, &buffer, buffer.count, 0)
                guard n > 0 else { break }
                data += buffer[0..<n]
            }
            return String(decoding: data, as: UTF8.self)
        }

        /// Reads until the server closes the connection or `seconds` pass; returns what came and
        /// whether the connection was closed.
        func readUntilClosed(within seconds: Double) -> (text: String, closed: Bool) {
            var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 { data += buffer[0..<n]; continue }
                return (String(decoding: data, as: UTF8.self), n == 0 || (n < 0 && errno == ECONNRESET))
            }
        }
    }

    @Test func unfinishedHeadersAreClosedAfterTheIdleTimeout() async throws {
        let crm = try CRMProcess()
        try crm.run(["init"])
        let server = try ServerProcess(crm, extra: ["--idle-timeout", "1", "--max-connections-per-address", "4", "--no-jobs"])
        defer { server.stop() }

        // Headers never finished: closed after the idle timeout, not kept for a minute.
        let slow = try RawSocket(port: server.port)
        slow.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
        let started = Date()
        let slowEnd = slow.readUntilClosed(within: 10)
        #expect(slowEnd.closed && Date().timeIntervalSince(started) < 5, "closed: \(slowEnd.closed) after \(Date().timeIntervalSince(started)) s")
        // Answered, then idle: closed after the idle timeout too.
        let idle = try RawSocket(port: server.port)
        idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let idleEnd = idle.readUntilClosed(within: 10)
        #expect(idleEnd.text.contains("200 OK") && idleEnd.closed)
    }

    @Test func connectionsPerAddressAreCapped() async throws {
        let crm = try CRMProcess()
        try crm.run(["init"])
        // A long idle timeout, so the held connections stay open while the cap is checked.
        let server = try ServerProcess(crm, extra: ["--idle-timeout", "60", "--max-connections-per-address", "4", "--no-jobs"])
        defer { server.stop() }
        var held = try (0..<4).map { _ in try RawSocket(port: server.port) }
        for socket in held {  // each one answered, so the server has counted all four
            socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(socket.readUntil("}", within: 10).contains("200 OK"))
        }
        let extra = try RawSocket(port: server.port)
        extra.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let refused = extra.readUntilClosed(within: 10)
        #expect(refused.closed && !refused.text.contains("200 OK"), "\(refused)")
        // Once the client closes them, the address may connect again (the server notices the
        // closes asynchronously: a bounded number of tries).
        held.removeAll()
        var answered = false
        for _ in 0..<50 where !answered {
            let again = try RawSocket(port: server.port)
            again.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answered = again.readUntilClosed(within: 5).text.contains("200 OK")
        }
        #expect(answered)
    }

    @Test func protocolErrorsAreProblemJSON() async throws {
        let crm = try CRMProcess()
        try crm.run(["init"])
        let server = try ServerProcess(crm, extra: ["--no-jobs"])
        defer { server.stop() }
        let long = try RawSocket(port: server.port)
        long.send("GET /api/v1/records/customer?q=" + String(repeating: "a", count: 100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
        let longReply = long.readUntilClosed(within: 10).text
        #expect(longReply.hasPrefix("HTTP/1.1 4") && longReply.contains("application/problem+json"), "\(longReply.prefix(300))")
        let header = try RawSocket(port: server.port)
        header.send("GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + String(repeating: "b", count: 100_000) + "\r\n\r\n")
        let headerReply = header.readUntilClosed(within: 10).text
        #expect(headerReply.hasPrefix("HTTP/1.1 4") && headerReply.contains("application/problem+json"), "\(headerReply.prefix(300))")
    }
}
