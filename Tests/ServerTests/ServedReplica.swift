import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// `crm-replica serve --port 0` on a workspace's replica, and a real HTTP client for it
/// (URLSession over loopback). `stop()` kills it by its pid; tests call it in a `defer`.
final class ServedReplica: @unchecked Sendable {
    let command: RunningCommand
    let baseURL: URL
    static let token = "test-token"
    private let session: URLSession

    /// Starts the server and waits for its startup line, which names the port it was given.
    init(_ workspace: Workspace, _ extra: [String] = [], asOf: String? = "2026-11-20T18:00:00+00:00") throws {
        let arguments = ["serve", "--port", "0"] + (asOf.map { ["--as-of", $0] } ?? []) + extra
        command = try workspace.start(arguments)
        let deadline = Date().addingTimeInterval(60)
        var url: URL?
        while url == nil, Date() < deadline, command.isRunning {
            if let line = command.stdoutSoFar.split(separator: "\n").first(where: { $0.contains("listening on ") }),
               let range = line.range(of: "http://") {
                url = URL(string: String(line[range.lowerBound...]).trimmingCharacters(in: .whitespaces))
            } else {
                usleep(20_000)
            }
        }
        guard let url else {
            let output = "stdout: \(command.stdoutSoFar)\nstderr: \(command.stderrSoFar)"
            command.kill()
            throw ServeError.didNotStart(output)
        }
        baseURL = url
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 120
        configuration.httpMaximumConnectionsPerHost = 16
        session = URLSession(configuration: configuration)
    }

    enum ServeError: Error { case didNotStart(String) }

    func stop() {
        command.kill(SIGKILL)
        _ = command.wait(timeout: 30)
    }

    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
        var items: [[String: Any]] { json["data"] as? [[String: Any]] ?? [] }
        var codes: [String] { items.map { $0["code"] as? String ?? "?" } }
        var contentType: String? { headers.first { $0.key.lowercased() == "content-type" }?.value }
    }

    /// Sends one request; `token` nil sends no Authorization header.
    func send(_ method: String, _ target: String, body: String? = nil, token: String? = ServedReplica.token,
              headers: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: URL(string: baseURL.absoluteString + target)!)
        request.httpMethod = method
        if let token { request.setValue("Zoho-oauthtoken \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)"] = "\(value)" }
        return Answer(status: http.statusCode, headers: fields, body: data)
    }
}
