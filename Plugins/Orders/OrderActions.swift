import CRMKernel
import Foundation

/// The order moves other Swift code (the benchmark, a finance module, the approval engine's
/// reaction) may call, inside a write transaction. Each checks the order's status like
/// `crm.orders.*` does; access is the caller's business (these act as the module).
public enum OrderActions {
    /// Sends a draft or rejected order for approval.
    public static func submit(_ tx: WriteContext, _ id: Int64) throws -> Record { try OrderWorkflow.submit(tx, id) }

    /// Marks a submitted order approved (stock per the stock policy).
    public static func approve(_ tx: WriteContext, _ id: Int64) throws -> Record { try OrderWorkflow.approved(tx, id) }

    /// Marks a submitted order rejected with the approver's comment (reservations released).
    public static func reject(_ tx: WriteContext, _ id: Int64, comment: String) throws -> Record { try OrderWorkflow.rejected(tx, id, comment: comment) }

    /// Today in the workspace's time zone (`YYYY-MM-DD`).
    public static func today(_ reader: RecordReader) throws -> String { try ContractReminders.today(reader, Date()) }
}
