import ArgumentParser
import CRMPlugins

extension CRM {
    /// `crm version`: prints the version.
    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the version.")

        func run() throws {
            say("crm \(CRMVersion.string)")
        }
    }
}
