import CRMKernel

/// Crediting won deals to campaigns.
enum Attribution {
    /// The model named by reports with no attributed deal yet.
    static let currentModelName = "first_touch"
}
