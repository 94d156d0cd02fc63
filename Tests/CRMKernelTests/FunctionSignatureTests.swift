import CRMKernel
import Testing

/// Reading a plugin function's arguments from the call its summary writes.
struct FunctionSignatureTests {
    @Test func requiredOptionalTablesAndWordsAreRead() throws {
        let s = try #require(FunctionSignature(summary: "crm.orders.add_line(\"order\"|\"quote\", id, {product, quantity, ...} [, fields]) → the line"))
        #expect(s.arguments.map(\.text) == ["\"order\"|\"quote\"", "id", "{product, quantity, ...}", "fields"])
        #expect(s.minimum == 3 && s.maximum == 4)
        #expect(s.arguments[0].kind == .oneOf(["order", "quote"]))
        #expect(s.arguments[1].kind == .identifier && s.arguments[2].kind == .table && s.arguments[3].kind == .any)
        #expect(s.arguments[3].optional && !s.arguments[2].optional)
    }

    @Test func noArgumentsVariadicCallsAndSummariesWithoutACall() throws {
        let none = try #require(FunctionSignature(summary: "crm.marketing.score_bands() → leads per band"))
        #expect(none.arguments.isEmpty && none.maximum == 0)
        let many = try #require(FunctionSignature(summary: "kit.log(message, ...)"))
        #expect(many.variadic && many.maximum == nil && many.minimum == 1)
        #expect(FunctionSignature(summary: "Counts the open claims") == nil)
        #expect(FunctionSignature(summary: "crm.kit.broken(a, {b) → x") == nil)
    }

    @Test func tooManyArgumentsAreAValidationErrorButTrailingNilsAreNot() throws {
        let f = ScriptFunction("claim", summary: "crm.kit.claim(id) → it", effect: .read, access: .read("kit")) { _ in .null }
        try f.checkArguments([.value(.integer(1)), .null, .null], qualifiedName: "crm.kit.claim")
        #expect(throws: KernelError.self) { try f.checkArguments([.value(.integer(1)), .value(.integer(2))], qualifiedName: "crm.kit.claim") }
        do {
            try f.checkArguments([.value(.integer(1)), .value(.text("x"))], qualifiedName: "crm.kit.claim")
        } catch let error as KernelError {
            #expect(error.kind == .validation && error.message.contains("crm.kit.claim takes at most 1 argument (id), got 2"))
        }
    }
}
