/// Resource limits of one `LuaState`.
public struct LuaLimits: Sendable, Equatable {
    /// VM instructions allowed per top-level call (counted in steps of 1000).
    /// Nested calls made from Swift functions share the caller's budget.
    public var instructionBudget: Int
    /// Bytes the state may allocate while scripts run.  Exceeding it makes the
    /// call fail with `LuaError.memoryLimitExceeded` and the state unusable.
    public var memoryLimit: Int
    /// Longest pattern accepted by `string.find/match/gmatch/gsub` (bytes).
    public var maxPatternLength: Int
    /// Longest subject string accepted by the pattern functions (bytes).
    public var maxPatternSubjectLength: Int
    /// Largest estimated backtracking work of one pattern call.  The estimate is
    /// `subject length x product over repeated items (*, +, -) of (longest run
    /// of subject bytes the item can match + 1)`, x2 per `?` item.  Pattern
    /// matching runs in C where the instruction hook cannot stop it, hence this
    /// pre-check.  The default 3e7 bounds a worst-case accepted call to roughly
    /// 0.1-0.15 s on the reference machine; ordinary patterns on large texts
    /// (e.g. `gsub("%s+", " ")` on 1 MiB of prose) stay far below it.
    public var maxPatternWork: Double
    /// Deepest table nesting converted between Lua and Swift (guards cycles).
    public var maxTableDepth: Int

    /// Creates limits; the defaults suit per-record CRM hooks.
    public init(
        instructionBudget: Int = 10_000_000,
        memoryLimit: Int = 64 << 20,
        maxPatternLength: Int = 256,
        maxPatternSubjectLength: Int = 1 << 20,
        maxPatternWork: Double = 3e7,
        maxTableDepth: Int = 32
    ) {
        self.instructionBudget = instructionBudget
        self.memoryLimit = memoryLimit
        self.maxPatternLength = maxPatternLength
        self.maxPatternSubjectLength = maxPatternSubjectLength
        self.maxPatternWork = maxPatternWork
        self.maxTableDepth = maxTableDepth
    }
}
