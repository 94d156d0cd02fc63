import Foundation
import Synchronization

/// A time zone's offset from UTC, with the zone's last change remembered: most zones no longer
/// change their offset (Asia/Shanghai has kept +08:00 since its last summer time in 1991), so
/// for an instant after that change the offset is one number, not a look-up in the zone's
/// history. Asking Foundation costs a lock and an ICU call each time, and a business clock asks
/// several times per day it walks (an SLA over 200 status changes asked thousands of times).
///
/// Exact: the offset of an instant before the last change, or of any instant in a zone that
/// keeps changing (summer time), still comes from the zone.
struct ZoneOffsets: Sendable {
    /// The zone.
    let zone: TimeZone
    /// Seconds since 1970 from which the offset never changes again (nil: it keeps changing).
    let stableSince: Double?
    /// The offset from `stableSince` on.
    let stableOffset: Int

    /// The offsets of `zone`; the last change is looked up once per zone and process.
    init(_ zone: TimeZone) {
        self.zone = zone
        let (since, offset) = Self.lastChange(of: zone)
        stableSince = since
        stableOffset = offset
    }

    /// The offsets of `zone` without the remembered last change: every answer from the zone
    /// (what the clock did before; the tests compare the two).
    init(direct zone: TimeZone) {
        self.zone = zone
        stableSince = nil
        stableOffset = 0
    }

    /// Seconds east of UTC at `seconds` since 1970.
    @inline(__always)
    func offset(at seconds: Double) -> Int {
        if let since = stableSince, seconds >= since { return stableOffset }
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))
    }

    /// Transitions followed from 1900 before a zone counts as one that keeps changing (about
    /// two per year of summer time).
    static let transitionLimit = 400
    private static let known = Mutex<[String: (since: Double?, offset: Int)]>([:])

    /// The instant of the zone's last offset change (1900 when none is known after it) and the
    /// offset from then on; nil when it still changed after `transitionLimit` transitions.
    static func lastChange(of zone: TimeZone) -> (since: Double?, offset: Int) {
        if let hit = known.withLock({ $0[zone.identifier] }) { return hit }
        var t = Date(timeIntervalSince1970: -2_208_988_800)  // 1900-01-01
        var result: (since: Double?, offset: Int) = (nil, 0)
        for _ in 0..<transitionLimit {
            guard let next = zone.nextDaylightSavingTimeTransition(after: t) else {
                result = (t.timeIntervalSince1970, zone.secondsFromGMT(for: t))
                break
            }
            t = next
        }
        known.withLock { $0[zone.identifier] = result }
        return result
    }
}
