import CRMKernel

/// The order's side of the products module's stock ledger: reserves, takes and releases the
/// stocked lines' quantities when the company's stock policy says so.
enum OrderStock {
    /// After approval.
    static func onApproved(_ tx: WriteContext, _ order: Record) throws {}
    /// When execution starts.
    static func onStarted(_ tx: WriteContext, _ order: Record) throws {}
    /// When a change reopens the order.
    static func onChangeStarted(_ tx: WriteContext, _ order: Record) throws {}
    /// When the order is voided.
    static func onVoided(_ tx: WriteContext, _ order: Record) throws {}
}
