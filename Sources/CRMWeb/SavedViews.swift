import CRMKernel
import Foundation

/// Saved list views: a name and the list's query string, kept per user or shared with
/// everyone, in the workspace's settings (`web.views.<entity>.u<user id>` / `.shared`).
struct SavedViews {
    /// One saved view.
    struct View: Codable, Equatable {
        var name: String
        var query: String
        var shared: Bool
    }

    let store: RecordStore

    static func key(_ entity: String, user: Int64?) -> String {
        user.map { "web.views.\(entity).u\($0)" } ?? "web.views.\(entity).shared"
    }

    /// The user's own views, then the shared ones.
    func views(_ entity: String, user: Int64?) -> [View] {
        let mine = user.map { load(Self.key(entity, user: $0)) } ?? []
        return mine + load(Self.key(entity, user: nil))
    }

    /// Saves a view (replacing one of the same name in the same place).
    func save(_ entity: String, user: Int64?, name: String, query: String, shared: Bool) throws {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 60 else {
            throw KernelError(.validation, "a view needs a name of 1 to 60 characters", fieldErrors: [FieldError(field: "view_name", message: "1 to 60 characters")])
        }
        let key = Self.key(entity, user: shared ? nil : user)
        var list = load(key).filter { $0.name != trimmed }
        list.append(View(name: trimmed, query: Self.clean(query), shared: shared))
        let data = try JSONEncoder().encode(Array(list.suffix(50)))
        try store.setSetting(key, String(decoding: data, as: UTF8.self))
    }

    /// The query without paging and one-off parameters.
    static func clean(_ query: String) -> String {
        let form = FormBody(query)
        return form.order.filter { $0 != "after" && $0 != "view" }.flatMap { name in
            form.all(name).map { "\(FormBody.encode(name))=\(FormBody.encode($0))" }
        }.joined(separator: "&")
    }

    private func load(_ key: String) -> [View] {
        guard let text = try? store.setting(key), let list = try? JSONDecoder().decode([View].self, from: Data(text.utf8)) else { return [] }
        return list
    }
}
