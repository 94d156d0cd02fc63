/// One stage of a pipeline: its label, probability, gate and allowed moves.
public struct StageDefinition: Sendable, Hashable, Codable {
    /// How a terminal stage ends the record's journey.
    public enum Outcome: String, Sendable, Hashable, Codable { case won, lost }

    /// The stored value of the stage field.
    public var name: String
    /// Labels.
    public var label: LocalizedText
    /// Win probability in percent, copied to the `probability` field on entering the stage.
    public var probability: Int?
    /// Fields that must be filled to enter the stage (the stage gate).
    public var requires: [String]
    /// Stages that may follow; nil means the default rule (the next stage, or any terminal one).
    public var next: [String]?
    /// Set on terminal stages.
    public var outcome: Outcome?
    /// Days a record may stay before it counts as stalled.
    public var maxDays: Int?

    /// Creates a stage.
    public init(name: String, label: LocalizedText? = nil, probability: Int? = nil, requires: [String] = [],
                next: [String]? = nil, outcome: Outcome? = nil, maxDays: Int? = nil) {
        self.name = name
        self.label = label ?? LocalizedText(name)
        self.probability = probability
        self.requires = requires
        self.next = next
        self.outcome = outcome
        self.maxDays = maxDays
    }
}

/// Ordered stages for one field of an entity (opportunity stages, lead or ticket statuses).
///
/// An entity may have several pipelines on the same field, chosen by another field's value
/// (`selector`), e.g. one per business line; at most one pipeline has no selector (the default).
public struct Pipeline: Sendable, Hashable, Codable {
    /// The entity.
    public var entity: String
    /// The choice field holding the stage (default `stage`).
    public var field: String
    /// The pipeline's name (default `default`).
    public var name: String
    /// Chooses this pipeline when `selector.field` equals `selector.value`.
    public var selector: Selector?
    /// Stages in order.
    public var stages: [StageDefinition]
    /// Moving forward more than one stage is allowed.
    public var allowSkip: Bool
    /// Moving back to an earlier stage is allowed.
    public var allowBack: Bool

    /// A field value that picks a pipeline.
    public struct Selector: Sendable, Hashable, Codable {
        /// The field.
        public var field: String
        /// The value.
        public var value: String

        /// Creates a selector.
        public init(field: String, value: String) {
            self.field = field
            self.value = value
        }
    }

    /// Creates a pipeline.
    public init(entity: String, field: String = "stage", name: String = "default", selector: Selector? = nil,
                stages: [StageDefinition], allowSkip: Bool = false, allowBack: Bool = true) {
        self.entity = entity
        self.field = field
        self.name = name
        self.selector = selector
        self.stages = stages
        self.allowSkip = allowSkip
        self.allowBack = allowBack
    }

    /// The stage named `name`.
    public func stage(_ name: String) -> StageDefinition? { stages.first { $0.name == name } }

    /// The stages that are not terminal, in order.
    public var openStages: [StageDefinition] { stages.filter { $0.outcome == nil } }
}

/// A form layout for an entity, as declared by `crm.form`; served to clients with the schema.
public struct FormLayout: Sendable, Hashable, Codable {
    /// A section of the form.
    public struct Section: Sendable, Hashable, Codable {
        /// Heading.
        public var title: LocalizedText
        /// Fields in order.
        public var fields: [String]

        /// Creates a section.
        public init(title: LocalizedText, fields: [String]) {
            self.title = title
            self.fields = fields
        }
    }

    /// The entity.
    public var entity: String
    /// Sections in order.
    public var sections: [Section]
    /// Fields required on this form (beyond the schema's required fields).
    public var required: [String]
    /// Fields shown but not editable.
    public var readOnly: [String]
    /// Field → condition (`{field = value}` pairs) under which it is shown.
    public var shownWhen: [String: [String: String]]

    /// Creates a layout.
    public init(entity: String, sections: [Section], required: [String] = [], readOnly: [String] = [],
                shownWhen: [String: [String: String]] = [:]) {
        self.entity = entity
        self.sections = sections
        self.required = required
        self.readOnly = readOnly
        self.shownWhen = shownWhen
    }

    /// Every field the layout names.
    public var referencedFields: [String] {
        sections.flatMap(\.fields) + required + readOnly + Array(shownWhen.keys) + shownWhen.values.flatMap(\.keys)
    }
}
