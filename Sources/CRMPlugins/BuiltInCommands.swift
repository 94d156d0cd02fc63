import ArgumentParser
import CRMDataTransfer
import CRMReports

/// The command groups the `crm` binary takes from the shared layers, beside the modules' own
/// commands (which the kernel's `ModuleCommandLine` dispatches from `BuiltInPlugins`): import and
/// export, backup and restore, reports. Each opens its workspace through `WorkspaceLoader`, with
/// the built-in modules and the workspace's script pack.
public enum BuiltInCommands {
    /// `crm import`, `crm export`, `crm backup`, `crm restore` and `crm report`.
    public static var all: [any ParsableCommand.Type] {
        [
            ImportCommand<WorkspaceLoader>.self,
            ExportCommand<WorkspaceLoader>.self,
            BackupCommand<WorkspaceLoader>.self,
            RestoreCommand<WorkspaceLoader>.self,
            ReportCommand<WorkspaceLoader>.self,
        ]
    }
}
