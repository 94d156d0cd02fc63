import CRMKernel

/// The customer lifecycle values (`customer.lifecycle`) the module's code relies on.
///
/// These are the stored values of the choice's options. A company may relabel an option from its
/// script pack (`options = { {value = "成交", label = "已签约"}, ... }`): labels are only shown,
/// the code compares stored values, so pool reclaim and the won-deal reaction keep working.
public enum CustomerLifecycle {
    /// 潜在: a prospect (the default).
    public static let prospect = "潜在"
    /// 意向: shows interest.
    public static let interested = "意向"
    /// 成交: has closed a deal (set when one of its opportunities is won); 公海 reclaim rules
    /// with `no_deal_days` spare it.
    public static let won = "成交"
    /// 流失: lost.
    public static let lost = "流失"
    /// Every value, in order.
    public static let all = [prospect, interested, won, lost]
}

/// The task status values (`task.status`) the module's code relies on (stored values, not labels).
public enum TaskStatus {
    /// 待处理: not started.
    public static let pending = "待处理"
    /// 进行中: in progress.
    public static let inProgress = "进行中"
    /// 已完成: done; a finished task no longer counts as open.
    public static let done = "已完成"
    /// 已逾期: derived, an open task past its due time.
    public static let overdue = "已逾期"
    /// The statuses of a task that is not finished and not overdue.
    public static let open = [pending, inProgress]
    /// Every status, in order.
    public static let all = open + [done, overdue]
}

/// The actions a `pool_event` records (stored values of `pool_event.action`).
public enum PoolAction {
    /// A user took a customer from its pool.
    public static let claim = "claim"
    /// Its owner gave a customer back.
    public static let release = "release"
    /// The rules moved a customer back (`customers.pool_reclaim`).
    public static let reclaim = "reclaim"
    /// Every action.
    public static let all = [claim, release, reclaim]
}
