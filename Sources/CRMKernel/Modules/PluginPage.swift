/// A page of the web interface a plugin brings, with its menu entry: a declaration the web
/// interface renders (listed by `GET /api/v1/pages` for the pages the caller may open).
///
/// A page without a `view` is rendered generically from `requires.entity`: a list at its path,
/// or a record's detail when the path ends in `:id`. A page with a view is the module's own
/// template filled by the module's data function (see `PageView`). A page placed as a
/// `section` is not served at a path: it is drawn on the detail page of every record of its
/// entity, below the fields (an order's lines), and its `path` is the section's anchor (`#lines`).
///
/// Two pages are equal when their ids and paths are (the view holds a function).
public struct PluginPage: Sendable, Hashable {
    /// The id within the module (`pool`); the qualified id is `<module>.<id>`.
    public var id: String
    /// The page's address in the web interface (`/customers/pool`), unique across modules; for a
    /// section, its anchor on the record's page (`#lines`).
    public var path: String
    /// The title, in zh-CN and English.
    public var title: LocalizedText
    /// Where it sits in the menu; nil for a page reached only by links (and for every section).
    public var menu: MenuEntry?
    /// The grant a user needs to see the page and its menu entry; nil: every signed-in user.
    public var requires: FunctionAccess?
    /// The module's own rendering; nil: the generic list or detail of `requires.entity`.
    public var view: PageView?
    /// A page of its own (the default) or a section of another page.
    public var placement: Placement

    /// Where a page is shown.
    public enum Placement: Sendable, Hashable {
        /// At its own path.
        case page
        /// On the detail page of each record of `entity`, below its fields, sections of smaller
        /// `order` first; the data function gets the record's id.
        case section(entity: String, order: Int)
    }

    /// Creates a page.
    public init(_ id: String, path: String, title: LocalizedText, menu: MenuEntry? = nil, requires: FunctionAccess? = nil,
                view: PageView? = nil, placement: Placement = .page) {
        self.id = id
        self.path = path
        self.title = title
        self.menu = menu
        self.requires = requires
        self.view = view
        self.placement = placement
    }

    /// Whether this is a section of records' pages rather than a page of its own.
    public var isSection: Bool {
        if case .section = placement { return true }
        return false
    }

    /// Equal ids and paths.
    public static func == (a: PluginPage, b: PluginPage) -> Bool { a.id == b.id && a.path == b.path }

    /// Hashes the id and the path.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(path)
    }
}

/// A page's place in the menu: a section and an order within it.
public struct MenuEntry: Sendable, Hashable {
    /// The section's key (`sales`, `service`, `admin` ...); entries of one key share a heading.
    public var section: String
    /// The position within the section, smaller first.
    public var order: Int

    /// Creates an entry.
    public init(section: String, order: Int) {
        self.section = section
        self.order = order
    }
}
