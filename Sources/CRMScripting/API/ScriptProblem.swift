import CRMKernel

/// A problem found in a script pack: where it is and what is wrong.
public struct ScriptProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, relative to the workspace (`scripts/10_fields.lua`), when known.
    public var file: String?
    /// The line, when known.
    public var line: Int?
    /// What is wrong.
    public var message: String

    /// Creates a problem.
    public init(file: String?, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        switch (file, line) {
        case let (f?, l?): return "\(f):\(l): \(message)"
        case let (f?, nil): return "\(f): \(message)"
        default: return message
        }
    }
}

/// A script pack that failed to load or apply: every problem found.
public struct ScriptPackError: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var problems: [ScriptProblem]

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }

    /// As a kernel error (kind `scriptFailed`), for the CLI and the API.
    public var kernelError: KernelError {
        KernelError(.scriptFailed, problems.count == 1 ? problems[0].description
                    : "\(problems.count) problems in the script pack:\n" + description)
    }
}
