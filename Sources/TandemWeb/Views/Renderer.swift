import Foundation
import Hummingbird
import Mustache

/// Renders Mustache templates (Resources/Templates) from view models into HTML answers.
/// swift-mustache escapes every `{{value}}`, attributes included; only `{{{…}}}`
/// (used for SVG that Tandem itself renders) is inserted raw.
public struct Renderer: Sendable {
    let library: MustacheLibrary
    let secretKey: String
    let showDevMail: Bool

    public init(secretKey: String, showDevMail: Bool) async throws {
        let directory = Bundle.module.bundleURL.appendingPathComponent("Templates").path
        self.library = try await MustacheLibrary(directory: directory)
        // MustacheLibrary quietly loads nothing from a missing folder; fail at start-up instead of on every page.
        guard library.getTemplate(named: "layout") != nil else {
            throw ConfigError("The page templates are missing from the build (looked in \(directory)).")
        }
        self.secretKey = secretKey
        self.showDevMail = showDevMail
    }

    public func html(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = library.render(RenderNode.tree(model) ?? model, withTemplate: template) else {
            throw TemplateMissing(name: template)
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }

    struct TemplateMissing: Error { let name: String }

    func errorPage(status: HTTPResponse.Status, title: String, message: String, context: AppRequestContext) throws -> Response {
        struct ErrorPage {
            let shell: Shell
            let code: Int
            let heading: String
            let message: String
            let homeURL: String
        }
        let shell = Shell.make(title: title, area: .bare, context: context, renderer: self)
        return try html("error", ErrorPage(shell: shell, code: status.code, heading: title, message: message, homeURL: SiteRoute.root.path), status: status)
    }

    func csrfToken(_ context: AppRequestContext) -> String {
        CSRFMiddleware.token(for: context, secretKey: secretKey)
    }
}

extension Response {
    /// 303 after a form post, so reloading the next page does not post again.
    static func seeOther(_ route: SiteRoute, query: String? = nil) -> Response {
        .redirect(to: route.path + (query.map { "?" + $0 } ?? ""), type: .normal)
    }
}
