import CRMScripting
import Foundation

/// The stock phone hook called straight on a Lua state, without the kernel: what one call
/// costs (building the record table, running the hook, reading back its changes).
enum LuaMicro {
    /// Microseconds per call with `phone` as the record's phone: by default a bare mobile (the
    /// benchmark's data, and every phone saved before), or a written-out one such as
    /// `+86 138-0013-8000`, which takes the hook's full normalization.
    static func hookCallMicroseconds(iterations: Int, phone number: String = "13800138000") throws -> Double {
        let state = LuaState()
        let phone = try String(contentsOf: KernelBench.customerScripts.appendingPathComponent("lib/phone.lua"), encoding: .utf8)
        let module = try state.load(source: phone, chunkName: "lib/phone.lua")
        guard case .table = try state.call(module).first else { throw KernelBenchError("phone.lua returned no module") }
        let hookSource = """
            local phone = ...
            return function(r)
              local value = r.phone
              if value == nil or value == "" then return end
              local normalized, err = phone.normalize(value)
              if normalized then r.phone = normalized else return false, err end
            end
            """
        let factory = try state.load(source: hookSource, chunkName: "hook.lua")
        let moduleValue = try state.call(module)
        guard case .function(let hook) = try state.call(factory, moduleValue).first else { throw KernelBenchError("no hook") }
        let record: [(String, LuaValue)] = [
            ("name", "深圳华信科技12号有限公司"), ("contact_name", "王伟"), ("phone", .string(number)), ("industry", "制造业"),
            ("source", "展会推荐"), ("grade", "A"), ("lifecycle", "潜在"), ("province", "广东"), ("city", "深圳"),
            ("owner", 3), ("tags", .table(LuaTable(array: ["重点客户", "华南区"]))),
        ]
        for _ in 0..<1000 { _ = try state.call(hook, record: record) }
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { _ = try state.call(hook, record: record) }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(iterations)
    }
}

struct KernelBenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
