import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Peak resident memory of one benchmark section (see `MemoryTracker`).
struct SectionMemory: Codable {
    /// The section, as named in the progress lines.
    var name: String
    /// The highest resident set size while the section ran, in MiB.
    var peakMiB: Double
    /// The resident set size when it had finished and its memory was given back (`MemoryTracker`),
    /// in MiB: what it left behind.
    var residentAfterMiB: Double
}

/// Finds the section that holds too much memory: before each section the kernel's high-water
/// mark of this process (`VmHWM`) is reset (Linux: writing 5 to `/proc/self/clear_refs`), and read
/// again when the section ends. The run's peak is the highest of them.
///
/// One process runs every section, each in a workspace of its own that is closed when the
/// section ends; a server holds one. So after each section the heap's free pages are handed back
/// to the system (`malloc_trim`), or the next section's peak would include what the allocator
/// kept of the earlier ones. What a section still holds afterwards shows as `residentAfterMiB`.
final class MemoryTracker {
    private(set) var sections: [SectionMemory] = []
    private let peakBeforeTracking = PeakMemory.mebibytes()

    /// Runs `body` as the section `name` and records its peak.
    func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        PeakMemory.resetPeak()
        let result = try body()
        let peak = PeakMemory.mebibytes()
        PeakMemory.giveBackFreePages()
        sections.append(SectionMemory(name: name, peakMiB: peak, residentAfterMiB: PeakMemory.residentMiB()))
        return result
    }

    /// The highest resident set size of the run so far (every section, and what ran before them).
    var overallPeakMiB: Double { max(peakBeforeTracking, sections.map(\.peakMiB).max() ?? 0, PeakMemory.mebibytes()) }
}

/// Resident memory of this process, from `/proc/self/status`.
enum PeakMemory {
    /// The high-water mark since the start or the last `resetPeak()`, in MiB.
    static func mebibytes() -> Double { field("VmHWM:") }

    /// The resident set size now, in MiB.
    static func residentMiB() -> Double { field("VmRSS:") }

    /// Returns the heap's free pages to the system.
    static func giveBackFreePages() {
        #if canImport(Glibc)
        // `malloc_trim` is glibc's (malloc.h, which the Glibc module does not import).
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(symbol, to: Trim.self)(0) }
        #endif
    }

    /// Starts a new high-water mark from the current resident set (Linux 4.0 and later).
    static func resetPeak() {
        try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
    }

    private static func field(_ name: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
