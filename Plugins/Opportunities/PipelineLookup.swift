import CRMKernel
import Foundation

/// Finds the pipeline that applies to an opportunity, as the kernel's stage gate does: the one
/// whose selector matches the record, else the default (the one without a selector).
struct PipelineLookup {
    /// The opportunity pipelines on the `stage` field, in declaration order.
    let pipelines: [Pipeline]

    /// The pipelines of `schema`.
    init(_ schema: Schema) {
        pipelines = (schema.pipelines["opportunity"] ?? []).filter { $0.field == "stage" }
    }

    /// The pipeline for a record's values, or nil when none applies.
    func pipeline(for values: [String: Value]) -> Pipeline? {
        pipelines.first { p in
            guard let s = p.selector else { return false }
            return values[s.field] == .text(s.value)
        } ?? pipelines.first { $0.selector == nil }
    }

    /// The pipeline named `name`.
    func pipeline(named name: String) throws -> Pipeline {
        guard let p = pipelines.first(where: { $0.name == name }) else {
            throw KernelError(.notFound, "no opportunity pipeline '\(name)' (known: \(pipelines.map(\.name).joined(separator: ", ")))", entity: "opportunity")
        }
        return p
    }

    /// The pipelines a report covers: the one named, or all.
    func scope(_ name: String?) throws -> [Pipeline] {
        try name.map { [try pipeline(named: $0)] } ?? pipelines
    }

    /// Stage names of `pipelines` in order, each once (shared names keep their first place).
    static func stageOrder(_ pipelines: [Pipeline]) -> [String] {
        var seen = Set<String>()
        return pipelines.flatMap { $0.stages.map(\.name) }.filter { seen.insert($0).inserted }
    }

    /// Stage names of `pipelines` with the given outcome (nil: open stages).
    static func stages(_ pipelines: [Pipeline], outcome: StageDefinition.Outcome?) -> [String] {
        stageOrder(pipelines).filter { name in pipelines.contains { $0.stage(name).map { $0.outcome == outcome } ?? false } }
    }
}
