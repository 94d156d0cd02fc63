import Foundation
import Testing
@testable import CRMKernel

struct ZZProbe {
    @Test func probeAffinity() throws {
        let s = try TestStore()
        let a = try s.store.create("company", ["name": t("A")])
        try s.configure(Fixture.declarations(editingCompany: { $0.replaceField("rating", with: FieldDefinition("rating", .text, label: LocalizedText("x"))) }))
        try s.store.update("company", a.id, ["rating": t("123")])
        let v = try s.store.get("company", a.id)!["rating"]
        if case .integer = v { print("PROBE integer") } else if case .text = v { print("PROBE text") } else { print("PROBE other") }
    }
}
