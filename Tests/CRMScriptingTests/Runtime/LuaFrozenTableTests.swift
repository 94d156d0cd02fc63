import Testing
@testable import CRMScripting

/// No script reaches the backing table of a frozen library (`string`, `crm`, ...) by any route,
/// and a second script in the same state still sees the original functions.
struct LuaFrozenTableTests {
    private func lockedState() throws -> LuaState {
        let state = LuaState()
        try state.register("crm.ping") { _ in ["pong"] }
        try state.register("crm.customers.claim") { _ in ["claimed"] }
        try state.lockGlobals()
        return state
    }

    /// Runs `source` and returns its results, or the error text.
    private func outcome(_ state: LuaState, _ source: String) -> String {
        do {
            return try state.run(source: source, chunkName: "attack.lua").map(Self.text).joined(separator: ",")
        } catch {
            return "error: \(error)"
        }
    }

    private static func text(_ value: LuaValue) -> String {
        switch value {
        case .nil: "nil"
        case .boolean(let b): "\(b)"
        case .integer(let i): "\(i)"
        case .number(let d): "\(d)"
        case .string(let s): s
        case .table: "table"
        case .function: "function"
        }
    }

    /// After each attack, a fresh chunk still gets the original functions.
    private func expectOriginals(_ state: LuaState, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let results = try state.run(source: """
            return ('abc'):upper(), string.upper('x'), crm.ping(), crm.customers.claim(), math.floor(2.5),
                   table.concat({'a', 'b'}), rawequal(string.upper, ('').upper)
            """, chunkName: "victim.lua")
        #expect(results == ["ABC", "X", "pong", "claimed", .integer(2), "ab", true], sourceLocation: sourceLocation)
    }

    @Test func pairsHandsOutTheProxyNotTheBackingTable() throws {
        let state = try lockedState()
        let attacks = [
            "local _, s = pairs(string) s.upper = function() return 'pwned' end",
            "local _, c = pairs(crm) c.ping = function() return 'pwned' end",
            "local _, c = pairs(crm.customers) c.claim = function() return 'pwned' end",
            "local f, s = pairs(string) rawset(s, 'upper', function() return 'pwned' end)",
            // The iterator ignores the table it is given: it cannot be turned on another table.
            "local f = pairs(string) local t = {} for k, v in f, t do t[k] = v end t.upper = nil",
            "local f, s = pairs(crm) for k, v in f, s do if type(v) == 'table' then v.claim = print end end",
        ]
        for attack in attacks {
            let result = outcome(state, attack)
            #expect(result.isEmpty || result.hasPrefix("error:"), "\(attack) -> \(result)")
            try expectOriginals(state)
        }
        // The proxy is what pairs returns as its state; iteration still lists the library.
        let listed = try state.run(source: """
            local f, s, k = pairs(string)
            local n = 0 for name, fn in pairs(string) do n = n + 1 end
            return rawequal(s, string), k, n > 10
            """, chunkName: "list.lua")
        #expect(listed == [true, .nil, true])
    }

    @Test func rawAccessNextIpairsAndMetatablesFindNothingToChange() throws {
        let state = try lockedState()
        let attacks = [
            "return next(string)",
            "return rawget(string, 'upper')",
            "return rawlen(string)",
            "return getmetatable(string)",
            "return getmetatable('')",
            "return getmetatable(crm)",
            "setmetatable(string, {})",
            "setmetatable(crm, nil)",
            "rawset(string, 'upper', print)",
            "rawset(crm, 'ping', print)",
            "rawset(_G, 'string', {})",
            "string = {}",
            "crm.ping = nil",
            "('').upper = print",
            "local mt = getmetatable('') mt.__index = {upper = print}",
            "for i, v in ipairs(string) do end table.insert(string, print)",
            "table.insert(crm, 1, print)",
            "local t = select(2, pairs(string)) t.upper = print",
            "return select('#', pairs(string)), select(2, pairs(string)) == string",
        ]
        var outcomes: [String] = []
        for attack in attacks {
            outcomes.append(outcome(state, attack))
            try expectOriginals(state)
        }
        #expect(outcomes[0] == "nil")
        #expect(outcomes[1] == "nil")
        #expect(outcomes[2] == "0")
        #expect(outcomes[3] == "false" && outcomes[4] == "false" && outcomes[5] == "false")
        for index in 6...17 { #expect(outcomes[index].hasPrefix("error:"), "\(attacks[index]) -> \(outcomes[index])") }
        #expect(outcomes[18] == "3,true")
    }

    @Test func globalsTableDoesNotExposeItsBackingTable() throws {
        let state = try lockedState()
        let result = try state.run(source: """
            local names = {}
            for k in pairs(_G) do names[#names + 1] = k end
            return #names, next(_G), getmetatable(_G)
            """, chunkName: "globals.lua")
        // Only globals a script created are raw entries of _G; the protected ones live elsewhere.
        #expect(result == [.integer(0), .nil, false])
        try expectOriginals(state)
    }
}
