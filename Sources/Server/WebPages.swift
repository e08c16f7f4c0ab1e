import Catalogue
import Engine
import Explain
import Formats
import Foundation
import Hummingbird
import Mustache
import Replay
import Storage

/// The pages under `/`: server-side HTML for people who work in Zoho's web UI rather than a
/// terminal. They render the very objects `why --json` and `replay` produce (no second reading of
/// a verdict), and they only read the replica: the replay page's runs are dry runs, rolled back.
struct WebPages {
    let configuration: ServerConfiguration

    /// The largest upload or pasted batch: Zoho takes 100 records a call, so a real failed batch
    /// (or a day's request log) is far below this, and a file posted by mistake is refused before
    /// it is held whole in memory.
    static let uploadLimit = 2 * 1024 * 1024
    static let cookieName = "crm_replica_token"
    /// Page work runs here, one request at a time, never on NIO's event loops (SQLite blocks).
    private static let lane = Lane(label: "crm-replica.pages")

    static func serves(_ path: String) -> Bool {
        path == "/" || path == "/why" || path == "/replay" || path == "/settings" || path.hasPrefix("/records/")
    }

    func respond(to request: Request) async -> Response {
        var request = request
        let query = PageForm(query: request.uri.query ?? "")
        if let refusal = access(request, query: query) { return refusal }
        var page: Page
        do {
            page = try await route(&request, query: query)
        } catch {
            page = .problem(500, "The page failed: \(error)")
        }
        if !configuration.bindsLoopbackOnly, let token = configuration.token, query["token"] == token {
            // Given once in the link; from then on the browser sends it back, to this site only.
            page.headers[.setCookie] = "\(Self.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"
        }
        return page.response
    }

    /// Beyond loopback, anyone on the network could read the replica: the pages then need
    /// `--token`, given once as `?token=` and then as a same-site cookie.
    private func access(_ request: Request, query: PageForm) -> Response? {
        guard !configuration.bindsLoopbackOnly else { return nil }
        guard let token = configuration.token else {
            return Page.problem(403, "The server is reachable from the network and was started without --token, so its pages are off. "
                + "Start it with --token, or bind 127.0.0.1.").response
        }
        if query["token"] == token || request.cookies[Self.cookieName]?.value == token { return nil }
        return Page.problem(401, "This page needs the server's token: open the link with ?token=… that the server's owner gave you.").response
    }

    private func route(_ request: inout Request, query: PageForm) async throws -> Page {
        let path = request.uri.path
        switch (request.method, path) {
        case (.get, "/"): return try await read { try PageViews(context: $0).home() }
        case (.get, "/settings"): return try await read { try PageViews(context: $0).settings() }
        case (.get, "/why"):
            guard let key = query.filled("batch") else { return try await read { try PageViews(context: $0).why(query, batch: nil) } }
            guard let batch = PageBatches.shared.batch(key) else {
                return .problem(404, "This batch is no longer held by the server (it keeps the last \(PageBatches.kept) replayed batches, in memory only). "
                    + "Replay it again on the Replay page.", back: "/replay")
            }
            // The row's earlier rows and requests run first, in a dry run: a read-only connection cannot begin one.
            return try await read(access: .dryRun, overrides: batch.overrides) { try PageViews(context: $0).why(query, batch: batch) }
        case (.get, "/replay"): return try await read { try PageViews(context: $0).replay(form: PageForm(query: ""), report: nil) }
        case (.post, "/replay"):
            guard let bytes = try? await request.collectBody(upTo: Self.uploadLimit + 64 * 1024) else {
                return .problem(413, "The upload is larger than \(Self.uploadLimit / 1024 / 1024) MiB; nothing was read. Replay a smaller part of the batch.")
            }
            guard let form = PageForm(body: Array(bytes.readableBytesView), contentType: request.headers[.contentType]) else {
                return .problem(400, "The form could not be read (a malformed multipart body).")
            }
            return try await replay(form)
        case (.get, _) where path.hasPrefix("/records/"):
            let id = String(path.dropFirst("/records/".count))
            return try await read { try PageViews(context: $0).record(id: id.removingPercentEncoding ?? id) }
        default:
            return .problem(405, "\(request.method.rawValue) \(path): the pages answer GET (and POST on /replay).")
        }
    }

    /// Runs `body` on a read-only connection of its own, with the server's settings and clock.
    private func read(access: ReplicaService.Access = .read, overrides: [String] = [],
                      _ body: @escaping @Sendable (PageContext) throws -> Page) async throws -> Page {
        let configuration = configuration
        return try await Self.lane.run {
            let replica = try ReplicaService(path: configuration.databasePath, access: access)
            let settings = try replica.settings(overrides: configuration.overrides + overrides)
            return try body(PageContext(replica: replica, settings: settings, asOf: configuration.now(), database: configuration.databasePath))
        }
    }

    /// A dry run of what the form holds, on a connection whose writes are rolled back.
    private func replay(_ form: PageForm) async throws -> Page {
        let configuration = configuration
        return try await Self.lane.run {
            let replica = try ReplicaService(path: configuration.databasePath, access: .dryRun)
            let overrides = configuration.overrides + (form["set"] ?? "").split(whereSeparator: \.isNewline).map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            let context: PageContext
            do {
                context = PageContext(replica: replica, settings: try Replayer.settings(replica, overrides: overrides),
                                      asOf: configuration.now(), database: configuration.databasePath)
            } catch {
                return .problem(400, "Settings for this run: \(error)", back: "/replay")
            }
            return try PageViews(context: context).runReplay(form, overrides: overrides)
        }
    }
}

/// What a page sees: its own connection, the settings in force and the clock.
struct PageContext {
    let replica: ReplicaService
    let settings: Settings
    let asOf: Date
    let database: String
}

/// One rendered page (or a download), before it becomes a response.
struct Page: Sendable {
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
    var body: String

    var response: Response {
        var headers = headers
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func html(_ template: String, title: String, _ object: [String: Any], status: Int = 200) -> Page {
        let content = PageTemplates.library.render(object, withTemplate: template) ?? ""
        let whole = PageTemplates.library.render(["title": title, "style": PageTemplates.style, "content": content], withTemplate: "layout") ?? ""
        return Page(status: HTTPResponse.Status(code: status), body: whole)
    }

    /// An error as a page a person can read: what went wrong and where to go back to.
    static func problem(_ status: Int, _ message: String, back: String = "/") -> Page {
        html("problem", title: status >= 500 ? "Something went wrong" : "This did not work", ["message": message, "back": back], status: status)
    }

    static func download(_ text: String, type: String, name: String) -> Page {
        Page(headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""], body: text)
    }
}

extension WebPages {
    /// The startup line about the pages: where to open them, and beyond loopback how the token
    /// is given (or that the pages are off without one).
    static func announcement(_ configuration: ServerConfiguration, base: String) -> String {
        if configuration.bindsLoopbackOnly { return "  Web pages: \(base)/ (open it in a browser on this machine).\n" }
        guard configuration.token != nil else {
            return "  Web pages: off, because the server is reachable from the network without --token.\n"
        }
        return "  Web pages: \(base)/?token=<the --token>, once; the browser then keeps it in a same-site cookie. Without it a page answers 401.\n"
    }
}
