/// A page of the web interface a plugin brings, with its menu entry: a declaration the web
/// interface renders (listed now by `GET /api/v1/pages` for the pages the caller may open).
public struct PluginPage: Sendable, Hashable {
    /// The id within the module (`pool`); the qualified id is `<module>.<id>`.
    public var id: String
    /// The page's address in the web interface (`/customers/pool`), unique across modules.
    public var path: String
    /// The title, in zh-CN and English.
    public var title: LocalizedText
    /// Where it sits in the menu; nil for a page reached only by links.
    public var menu: MenuEntry?
    /// The grant a user needs to see the page and its menu entry; nil: every signed-in user.
    public var requires: FunctionAccess?

    /// Creates a page.
    public init(_ id: String, path: String, title: LocalizedText, menu: MenuEntry? = nil, requires: FunctionAccess? = nil) {
        self.id = id
        self.path = path
        self.title = title
        self.menu = menu
        self.requires = requires
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
