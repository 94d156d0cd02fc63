import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends text messages through an HTTP gateway: `POST <url>` with
/// `{"to": "+8613800000000", "body": "…", "message_id": 12}` as JSON and, when a token is set,
/// `Authorization: Bearer <token>`. A 2xx answer is success (its JSON `id`, when there is one, is
/// kept as the provider id); 4xx is a permanent failure, anything else transient.
public struct SMSGateway: MessageTransport {
    /// The gateway.
    public let settings: MessageSettings.SMS

    /// A gateway client for `settings`.
    public init(settings: MessageSettings.SMS) {
        self.settings = settings
    }

    /// Sends `message`.
    public func deliver(_ message: QueuedMessage) async throws -> String? {
        var request = URLRequest(url: settings.url)
        request.httpMethod = "POST"
        request.timeoutInterval = TimeInterval(settings.timeout)
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        if let token = settings.token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let payload: [String: Any] = ["to": message.to, "body": message.body, "message_id": message.id]
        request.httpBody = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = TimeInterval(settings.timeout)
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw MessageDeliveryError("短信网关无法访问：\(error.localizedDescription)", permanent: false)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let text = String(decoding: data.prefix(300), as: UTF8.self)
            throw MessageDeliveryError("短信网关回复 \(status)：\(text)", permanent: (400..<500).contains(status) && status != 429)
        }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let id = object["id"] {
            return "\(id)"
        }
        return nil
    }
}
