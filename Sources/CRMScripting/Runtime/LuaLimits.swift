/// Resource limits of one `LuaState`.
public struct LuaLimits: Sendable, Equatable {
    /// VM instructions allowed per top-level call (counted in steps of 1000).
    /// Nested calls made from Swift functions share the caller's budget; inside
    /// `LuaState.withBudget` every call draws from that one budget instead.
    public var instructionBudget: Int
    /// Wall-clock seconds allowed per top-level call (0: no limit), checked by the
    /// same count hook; inside `LuaState.withBudget` the budget's deadline applies.
    public var timeLimit: Double
    /// Bytes the state may hold, including values pushed from Swift (arguments,
    /// results of Swift functions).  A script exceeding it fails the call with
    /// `LuaError.memoryLimitExceeded` and leaves the state unusable; a Swift value
    /// that would exceed it is refused before it is allocated (same error, the
    /// state stays usable).
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
        timeLimit: Double = 30,
        memoryLimit: Int = 64 << 20,
        maxPatternLength: Int = 256,
        maxPatternSubjectLength: Int = 1 << 20,
        maxPatternWork: Double = 3e7,
        maxTableDepth: Int = 32
    ) {
        self.instructionBudget = instructionBudget
        self.timeLimit = timeLimit
        self.memoryLimit = memoryLimit
        self.maxPatternLength = maxPatternLength
        self.maxPatternSubjectLength = maxPatternSubjectLength
        self.maxPatternWork = maxPatternWork
        self.maxTableDepth = maxTableDepth
    }
}
