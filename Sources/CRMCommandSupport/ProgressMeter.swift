import Foundation

/// Progress of a long command on standard error: a bar redrawn in place with rate and ETA on a
/// terminal, a plain line at most every few seconds when piped.
public final class ProgressMeter {
    let label: String
    let started = Date()
    let isTerminal = isatty(STDERR_FILENO) == 1
    var lastLine = Date.distantPast
    var drew = false

    /// A meter whose lines start with `label`.
    public init(label: String) { self.label = label }

    /// Reports `done` of `total`.
    public func update(_ done: Int, _ total: Int) {
        let now = Date()
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let percent = total > 0 ? done * 100 / total : 100
        let text = "\(label): \(done)/\(total) (\(percent)%), \(Int(rate)) rows/s, ETA \(Self.duration(eta))"
        if isTerminal {
            let filled = percent / 5
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(text)\u{1B}[K".utf8))
            drew = true
        } else if now.timeIntervalSince(lastLine) >= 2 || done == total {
            FileHandle.standardError.write(Data((text + "\n").utf8))
            lastLine = now
        }
    }

    /// Ends the bar's line.
    public func finish() {
        if drew { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// `seconds` as `42s` or `3m05s`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
