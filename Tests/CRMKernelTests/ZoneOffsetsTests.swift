@testable import CRMKernel
import Foundation
import Testing

/// The business clock's remembered zone offsets answer as the zone does, before and after the
/// zone's last change, and a clock using them counts working time as one asking the zone.
struct ZoneOffsetsTests {
    static func at(_ text: String) -> Date { DateCoding.parseInstant(text)! }

    @Test func rememberedOffsetsAgreeWithTheZoneBeforeAndAfterItsLastChange() throws {
        // Shanghai: summer time 1986–1991; Kathmandu: +05:30 to +05:45 in 1986; Berlin: still changing.
        for id in ["Asia/Shanghai", "Asia/Kathmandu", "Europe/Berlin", "UTC", "America/New_York"] {
            let zone = try #require(TimeZone(identifier: id))
            let offsets = ZoneOffsets(zone)
            var t = Self.at("1980-01-01T00:00:00Z").timeIntervalSince1970
            let end = Self.at("2032-01-01T00:00:00Z").timeIntervalSince1970
            while t < end {
                #expect(offsets.offset(at: t) == zone.secondsFromGMT(for: Date(timeIntervalSince1970: t)), "\(id) at \(t)")
                t += 86_400 * 3 + 3_607
            }
            // Around the last change itself, to the second.
            if let since = offsets.stableSince {
                for d in [-3601.0, -1, -0.5, 0, 0.5, 1, 3601] {
                    #expect(offsets.offset(at: since + d) == zone.secondsFromGMT(for: Date(timeIntervalSince1970: since + d)), "\(id) at \(since + d)")
                }
            }
        }
        // The remembered path is the one taken for today's Shanghai, not for Berlin's summer time.
        #expect(ZoneOffsets(TimeZone(identifier: "Asia/Shanghai")!).stableSince == Self.at("1991-09-14T17:00:00Z").timeIntervalSince1970)
        #expect(ZoneOffsets(TimeZone(identifier: "Europe/Berlin")!).stableSince == nil)
    }

    @Test func aClockWithRememberedOffsetsCountsAsOneAskingTheZoneAcrossTheFestivalAndTiaoxiu() throws {
        let calendar = try BusinessCalendarTests.calendar()  // Spring Festival 2026 off, Saturday 2026-02-14 worked
        let zone = BusinessCalendarTests.shanghai
        let fast = BusinessClock(calendar, zone: zone), direct = BusinessClock(calendar, zone: zone, directOffsets: true)
        #expect(fast.offsets.stableSince != nil && direct.offsets.stableSince == nil)
        let start = Self.at("2026-02-11T00:20:00Z")
        let instants = (0..<70).map { start.addingTimeInterval(Double($0) * 5 * 3600 + Double($0 % 7) * 610) }  // to 2026-02-25
        for a in instants {
            for b in instants where b >= a {
                #expect(try fast.workingSeconds(from: a, to: b) == direct.workingSeconds(from: a, to: b))
            }
            for seconds in [1, 1800, 5 * 3600, 7 * 3600 + 1800, 40 * 3600] {
                #expect(try fast.adding(workingSeconds: seconds, to: a) == direct.adding(workingSeconds: seconds, to: a))
            }
            #expect(fast.isWorkingTime(a) == direct.isWorkingTime(a))
            #expect(fast.local(a) == direct.local(a))
        }
        // The same during Shanghai's summer time of 1988, where both ask the zone.
        let summer = Self.at("1988-06-01T00:00:00Z")
        #expect(try fast.workingSeconds(from: summer, to: summer.addingTimeInterval(9 * 86_400))
                == direct.workingSeconds(from: summer, to: summer.addingTimeInterval(9 * 86_400)))
    }
}
