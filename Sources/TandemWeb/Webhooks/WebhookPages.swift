import Foundation
import Hummingbird
import TandemDomain
import TandemOperations
import TandemStore

/// Vendor Settings → Webhooks and partner Settings → Postbacks: the same pages on either side.
/// An endpoint's secret signs everything sent to it, and its events can carry payout details,
/// so only a company admin (webhooks) or a partner account's owner (postbacks) sees them.
struct WebhookPages: WebPages {
    let env: WebEnvironment

    struct EventChoice {
        let value: String
        let summary: String
        let checked: Bool
    }

    struct EndpointRow {
        let url: String
        let description: String?
        let events: String
        let enabled: Bool
        let created: String
        let href: String
    }

    struct ListModel {
        let shell: Shell
        let tabs: [ProgramTab.Link]
        let hasTabs: Bool
        let noun: String
        let intro: String
        let endpoints: [EndpointRow]
        let hasEndpoints: Bool
        let limit: Int
        /// What the URL may start with, as this server's OUTBOUND_ALLOW_HTTP says.
        let schemes: String
        let create: FormState
        let events: [EventChoice]
        let createAction: String
    }

    struct DeliveryRow {
        let created: String
        let eventType: String
        let eventID: String
        let status: String
        let badge: String
        let response: String
        let latency: String
        let attempts: Int
        let next: String?
        let detail: String?
        let redeliverAction: String
    }

    struct DetailModel {
        let shell: Shell
        let tabs: [ProgramTab.Link]
        let hasTabs: Bool
        let noun: String
        let backHref: String
        let url: String
        let description: String?
        let events: [String]
        let enabled: Bool
        let disabledReason: String?
        let secret: String?
        let created: String
        let deliveries: [DeliveryRow]
        let hasDeliveries: Bool
        let testAction: String
        let rotateAction: String
        let enableAction: String
        let deleteAction: String
    }

    /// Who is asking, for one side: the owner of the endpoints and how to draw the page around them.
    struct Viewer {
        let owner: WebhookOwner
        let shell: (String, Shell.Notice?) -> Shell
        let tabs: [ProgramTab.Link]
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        for side in WebhookSide.allCases {
            router.get(SiteRoute.webhooks(side).routerPath) { request, context in
                let viewer = try await viewer(side, context)
                let notice: Shell.Notice? = request.uri.queryParameters["done"] == "deleted" ? .init(kind: "success", message: "The endpoint was deleted; nothing more is sent to it.") : nil
                return try await list(side, viewer, notice: notice)
            }
            router.post(SiteRoute.webhooks(side).routerPath) { _, context in
                let viewer = try await viewer(side, context)
                let (url, description, events) = (context.form.string("url"), context.form.string("description"), context.form.all("events"))
                do {
                    let created = try await WebhookEndpoints.create(
                        owner: viewer.owner, url: url, description: description, events: events, policy: config.outbound, now: now(), on: store.db)
                    // The secret is shown in this answer only (never in a URL or a later page).
                    return try await detail(side, viewer, created.endpoint, secret: created.secret, status: .created)
                } catch let refusal as OperationError {
                    let form = FormState(values: ["url": url, "description": description], refusal: refusal)
                    return try await list(side, viewer, create: form, chosen: Set(events), status: .init(refusal: refusal))
                }
            }
            router.get(SiteRoute.pattern({ SiteRoute.webhook(side, id: $0) }, "id")) { request, context in
                let viewer = try await viewer(side, context)
                let endpoint = try await endpoint(viewer, context)
                let notice: Shell.Notice? = switch request.uri.queryParameters["done"] {
                case "test": .init(kind: "success", message: "A test event is on its way; it shows in the log below within seconds.")
                case "redelivered": .init(kind: "success", message: "The event will be sent again; it shows in the log below within seconds.")
                case "enabled": .init(kind: "success", message: "The endpoint is on again. Redeliver what it missed from the log below.")
                default: nil
                }
                return try await detail(side, viewer, endpoint, notice: notice)
            }
            for action in WebhookPageAction.allCases {
                router.post(SiteRoute.pattern({ SiteRoute.webhookAction(side, id: $0, action: action) }, "id")) { _, context in
                    let viewer = try await viewer(side, context)
                    let id = try context.parameters.id("id")
                    do {
                        switch action {
                        case .test:
                            _ = try await WebhookEndpoints.sendTest(owner: viewer.owner, id: id, now: now(), on: store.db)
                            return Response.seeOther(.webhook(side, id: id), query: "done=test")
                        case .rotate:
                            let rotated = try await WebhookEndpoints.rotateSecret(owner: viewer.owner, id: id, now: now(), on: store.db)
                            return try await detail(side, viewer, rotated.endpoint, secret: rotated.secret, rotated: true)
                        case .enable:
                            _ = try await WebhookEndpoints.enable(owner: viewer.owner, id: id, on: store.db)
                            return Response.seeOther(.webhook(side, id: id), query: "done=enabled")
                        case .delete:
                            try await WebhookEndpoints.delete(owner: viewer.owner, id: id, on: store.db)
                            return Response.seeOther(.webhooks(side), query: "done=deleted")
                        }
                    } catch OperationError.notFound {
                        throw HTTPError(.notFound)
                    }
                }
            }
            router.post(SiteRoute.pattern({ SiteRoute.webhookRedeliver(side, id: $0, delivery: $1) }, "id", "delivery")) { _, context in
                let viewer = try await viewer(side, context)
                let id = try context.parameters.id("id")
                do {
                    _ = try await WebhookEndpoints.redeliver(owner: viewer.owner, endpointID: id, deliveryID: try context.parameters.id("delivery"), now: now(), on: store.db)
                } catch OperationError.notFound {
                    throw HTTPError(.notFound)
                }
                return Response.seeOther(.webhook(side, id: id), query: "done=redelivered")
            }
        }
    }

    /// The signed-in person, if they may manage this side's endpoints (403 otherwise).
    func viewer(_ side: WebhookSide, _ context: AppRequestContext) async throws -> Viewer {
        switch side {
        case .vendor:
            let scope = try await VendorScope.load(context, store: store)
            try scope.require(.manageCompany)
            return Viewer(owner: .company(scope.companyID), shell: { title, notice in
                scope.shell(title, tab: .none, context: context, renderer: renderer, notice: notice)
            }, tabs: [])
        case .partner:
            let scope = try await PartnerScope.load(context, store: store)
            guard scope.member.role.canManageKeys else { throw HTTPError(.forbidden) }
            return Viewer(owner: .partnerAccount(scope.accountID), shell: { title, notice in
                scope.shell(title, tab: .none, context: context, renderer: renderer, notice: notice)
            }, tabs: SettingsTab.links(for: scope.member.role, active: .postbacks))
        }
    }

    func endpoint(_ viewer: Viewer, _ context: AppRequestContext) async throws -> WebhookEndpoint {
        guard let endpoint = try await WebhookReads.endpoint(try context.parameters.id("id"), of: viewer.owner, on: store.db) else { throw HTTPError(.notFound) }
        return endpoint
    }

    static func noun(_ side: WebhookSide) -> String { side == .vendor ? "Webhooks" : "Postbacks" }

    func list(_ side: WebhookSide, _ viewer: Viewer, create: FormState = FormState(), chosen: Set<String>? = nil,
              notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let endpoints = try await WebhookReads.endpoints(of: viewer.owner, on: store.db)
        let intro = side == .vendor
            ? "Tandem POSTs each event of your programs to these URLs, signed as Standard Webhooks describes (headers webhook-id, webhook-timestamp, webhook-signature), and retries a failed delivery for three days."
            : "Tandem POSTs each event of your own partnerships to these URLs (customers' emails masked), signed as Standard Webhooks describes, and retries a failed delivery for three days."
        return try renderer.html("webhooks", ListModel(
            shell: viewer.shell(Self.noun(side), notice), tabs: viewer.tabs, hasTabs: !viewer.tabs.isEmpty, noun: Self.noun(side), intro: intro,
            endpoints: try endpoints.map { endpoint in
                EndpointRow(
                    url: endpoint.url, description: endpoint.description,
                    events: endpoint.events.count == WebhookEventType.subscribable.count ? "All events" : endpoint.events.map(\.rawValue).joined(separator: ", "),
                    enabled: endpoint.enabled, created: DateText.day(endpoint.createdAt), href: SiteRoute.webhook(side, id: try endpoint.requireID()).path)
            },
            hasEndpoints: !endpoints.isEmpty, limit: viewer.owner.endpointLimit,
            schemes: config.outbound.allowHTTP ? "https:// (or http://)" : "https://", create: create,
            events: WebhookEventType.subscribable.map { EventChoice(value: $0.rawValue, summary: $0.summary, checked: chosen?.contains($0.rawValue) ?? true) },
            createAction: SiteRoute.webhooks(side).path
        ), status: status)
    }

    func detail(_ side: WebhookSide, _ viewer: Viewer, _ endpoint: WebhookEndpoint, secret: String? = nil, rotated: Bool = false,
                notice: Shell.Notice? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let id = try endpoint.requireID()
        let rows = try await WebhookReads.deliveries(endpointID: id, limit: 50, on: store.db)
        let shown = notice ?? (rotated ? .init(kind: "success", message: "A new secret signs from now on; the old one also signs for 24 hours.") : nil)
        return try renderer.html("webhook", DetailModel(
            shell: viewer.shell(endpoint.url, shown), tabs: viewer.tabs, hasTabs: !viewer.tabs.isEmpty, noun: Self.noun(side), backHref: SiteRoute.webhooks(side).path,
            url: endpoint.url, description: endpoint.description, events: endpoint.events.map(\.rawValue), enabled: endpoint.enabled,
            disabledReason: endpoint.disabledReason, secret: secret, created: DateText.day(endpoint.createdAt),
            deliveries: rows.map { row in
                let outcome = row.status == "succeeded" ? "badge--active" : row.status == "failed" ? "badge--declined" : "badge--pending"
                let label = row.status == "pending" && row.attempts > 0 ? "retrying" : row.status
                return DeliveryRow(
                    created: DateText.minute(row.created_at), eventType: row.event_type, eventID: row.event_id.pathText, status: label, badge: outcome,
                    response: row.response_status.map(String.init) ?? (row.attempts == 0 ? "—" : "none"),
                    latency: row.latency_ms.map { "\($0) ms" } ?? "—", attempts: row.attempts,
                    next: row.status == "pending" && row.attempts > 0 ? row.next_attempt_at.map(DateText.minute) : nil,
                    detail: row.error ?? row.response_body.flatMap { $0.isEmpty ? nil : $0 },
                    redeliverAction: SiteRoute.webhookRedeliver(side, id: id, delivery: row.id).path)
            },
            hasDeliveries: !rows.isEmpty,
            testAction: SiteRoute.webhookAction(side, id: id, action: .test).path,
            rotateAction: SiteRoute.webhookAction(side, id: id, action: .rotate).path,
            enableAction: SiteRoute.webhookAction(side, id: id, action: .enable).path,
            deleteAction: SiteRoute.webhookAction(side, id: id, action: .delete).path
        ), status: status)
    }
}
