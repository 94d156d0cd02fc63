import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 keep-alive client over a blocking socket, one per load thread: the load
/// generator costs little next to the server it measures.
final class HTTPConnection {
    private let fd: Int32
    private var buffer = [UInt8]()

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { close(fd); throw Failure(description: "connect to 127.0.0.1:\(port) failed") }
    }

    deinit { close(fd) }

    /// Sends one request and reads the response; returns the status code and body.
    func send(_ method: String, _ path: String, token: String, body: String? = nil) throws -> (Int, [UInt8]) {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nCookie: crm_session=\(token)\r\n"
        let bytes = body.map { Array($0.utf8) } ?? []
        if body != nil { head += "Content-Type: application/json\r\nContent-Length: \(bytes.count)\r\n" }
        head += "\r\n"
        let out = Array(head.utf8) + bytes
        var sent = 0
        while sent < out.count {
            let n = out[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw Failure(description: "send failed") }
            sent += n
        }
        // Headers.
        var headerEnd: Int? = nil
        while headerEnd == nil {
            headerEnd = find([13, 10, 13, 10], in: buffer)
            if headerEnd == nil { try fill() }
        }
        let headerBytes = buffer[..<headerEnd!]
        let headerText = String(decoding: headerBytes, as: UTF8.self)
        let lines = headerText.split(separator: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ")[1]) else { throw Failure(description: "bad status line") }
        var length = 0
        for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
        }
        let bodyStart = headerEnd! + 4
        while buffer.count < bodyStart + length { try fill() }
        let responseBody = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return (status, responseBody)
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw Failure(description: "connection closed") }
        buffer.append(contentsOf: chunk[..<n])
    }

    private func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}

/// Drives `connections` concurrent keep-alive connections for `requests` requests in all.
enum HTTPLoad {
    struct Result: Codable {
        var requestsPerSecond: Double
        var latency: Latency
        var failures: Int
        var connections: Int
        /// CPU time of this process (the server, its writer and checkpoints; not the load
        /// generator, which runs apart) per request, in microseconds: steadier than the rate on a
        /// shared machine. Measured with wrk only.
        var serverCPUMicroseconds: Double?
        /// The server's event loops while the phase ran (`LoopLagProbe`): the longest delay of a
        /// task due every 2 ms, and how many were over 10 ms late. Measured with wrk only.
        var longestLoopLag: Double?
        var loopLagsOver10ms: Int?
    }

    /// `request(i)` gives the i-th request (method, path, body); a status over 299 counts as a failure.
    static func run(port: Int, token: String, connections: Int, requests: Int,
                    _ request: @escaping @Sendable (Int) -> (String, String, String?)) throws -> Result {
        let perConnection = requests / connections
        let collected = Collected()
        let group = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        for c in 0..<connections {
            group.enter()
            Thread {
                defer { group.leave() }
                var local: [Double] = []
                var failed = 0
                do {
                    let conn = try HTTPConnection(port: port)
                    for i in 0..<perConnection {
                        let (method, path, body) = request(c * perConnection + i)
                        let t0 = DispatchTime.now().uptimeNanoseconds
                        let (status, _) = try conn.send(method, path, token: token, body: body)
                        local.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                        if status > 299 { failed += 1 }
                    }
                } catch {
                    collected.fail(error)
                }
                collected.add(local, failed)
            }.start()
        }
        group.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let (samples, failures, error) = collected.snapshot()
        if let error { throw error }
        return Result(requestsPerSecond: Double(samples.count) / seconds, latency: Latency(samples), failures: failures, connections: connections)
    }

    /// What the load threads measured, gathered under a lock.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var samples: [Double] = []
        private var failures = 0
        private var error: (any Error)?

        func add(_ s: [Double], _ failed: Int) { lock.withLock { samples += s; failures += failed } }
        func fail(_ e: any Error) { lock.withLock { error = error ?? e } }
        func snapshot() -> ([Double], Int, (any Error)?) { lock.withLock { (samples, failures, error) } }
    }
}
