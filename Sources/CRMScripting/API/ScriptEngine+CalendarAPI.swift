import CRMKernel
import Foundation

extension ScriptEngine {
    /// `crm.calendar(name, spec)` declares a business calendar; `crm.is_working_day`,
    /// `crm.working_seconds` and `crm.add_working_seconds` answer questions about the calendars in force.
    func registerCalendarFunctions() throws(LuaError) {
        try state.register("crm.calendar") { [unowned self] args in
            let name = try args.string(0), spec = try args.table(1)
            guard ReservedFieldNames.isValidIdentifier(name) else {
                throw LuaError.script("crm.calendar: '\(name)' is not a valid name (letters, digits, _)")
            }
            let calendar = try SpecParser.calendar(name, spec) { other in
                declarations.calendars.last(where: { $0.0.name == other })?.0
            }
            try declare { $0.calendars.append((calendar, self.location())) }
            return []
        }
        try state.register("crm.is_working_day") { [unowned self] args in
            let text = try args.string(0)
            guard let day = CivilDate(text) else { throw LuaError.script("crm.is_working_day: '\(text)' is not a date (YYYY-MM-DD)") }
            return [.boolean(try calendarNamed(args, 1, "crm.is_working_day").isWorkingDay(day))]
        }
        try state.register("crm.working_seconds") { [unowned self] args in
            let from = try instant(args, 0, "crm.working_seconds"), to = try instant(args, 1, "crm.working_seconds")
            let clock = try clock(args, 2, "crm.working_seconds")
            return [.integer(Int64(try kernel { try clock.workingSeconds(from: from, to: to) }))]
        }
        try state.register("crm.add_working_seconds") { [unowned self] args in
            let at = try instant(args, 0, "crm.add_working_seconds"), seconds = try args.integer(1)
            guard seconds >= 0 else { throw LuaError.script("crm.add_working_seconds: seconds must not be negative") }
            let clock = try clock(args, 2, "crm.add_working_seconds")
            return [.string(DateCoding.iso(try kernel { try clock.adding(workingSeconds: Int(seconds), to: at) }))]
        }
    }

    private func instant(_ args: LuaArguments, _ index: Int, _ function: String) throws(LuaError) -> Date {
        let text = try args.string(index)
        guard let date = DateCoding.parseInstant(text) else {
            throw LuaError.script("\(function): '\(text)' is not a time (e.g. 2026-02-14T09:30:00Z)")
        }
        return date
    }

    private func calendarNamed(_ args: LuaArguments, _ index: Int, _ function: String) throws(LuaError) -> BusinessCalendar {
        let name = try args.optionalString(index) ?? "default"
        do { return try workspace.store.schema.businessCalendar(name) } catch { throw LuaError.script("\(function): \(error.message)") }
    }

    private func clock(_ args: LuaArguments, _ index: Int, _ function: String) throws(LuaError) -> BusinessClock {
        let calendar = try calendarNamed(args, index, function)
        let zone = try kernel { try read { try $0.workspaceCalendar().timeZone } }
        return BusinessClock(calendar, zone: zone)
    }
}
