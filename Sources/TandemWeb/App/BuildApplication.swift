import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TandemIntegrations
import TandemJobs
import TandemStore

/// Builds the whole Tandem web application. `tandem serve`, `tandem demo` and the tests all call this.
/// Tests pass their own `tracking` to flush clicks when they choose.
public func buildApplication(
    config: AppConfig, store: Store, dependencies: AppDependencies, tracking: Tracking? = nil
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "tandem")
    logger.logLevel = config.logLevel
    _ = TandemMetrics.registry

    let renderer = try await Renderer(secretKey: config.secretKey, showDevMail: config.devMailbox)
    let env = WebEnvironment(
        store: store, renderer: renderer, hasher: PasswordHasher(cost: dependencies.bcryptCost), config: config, now: dependencies.now,
        liveProviders: Set(dependencies.payoutProviders.map(\.name))
    )
    if config.smtp == nil && !config.devMailbox {
        logger.warning("SMTP_URL is not set and /dev/mail is off: emails (password resets, invitations) are kept in the database but reach nobody. Set SMTP_URL.")
    }
    let spool = try config.clickSpoolDirectory.map { try ClickSpool(directory: $0, fsync: config.clickSpoolFsync) }
    let tracking = tracking ?? Tracking(store: store, flushInterval: config.clickFlushInterval, spool: spool)
    // Clicks answered by a node that died are written before this one serves.
    try await tracking.recorder.recoverSpool()
    let router = try buildRouter(env: env, tracking: tracking)
    let responder = RedirectFastPath(route: RedirectRoute(env: env, tracking: tracking), benchmarkRoute: config.benchmarkRoutes, next: router.buildResponder())
    var services: [any Service] = [tracking.recorder]
    if config.runJobsInProcess {
        services.append(contentsOf: makeBackgroundServices(store: store, config: config, dependencies: dependencies, logger: logger))
    }
    return Application(
        responder: responder,
        configuration: .init(address: .hostname(config.hostname, port: config.port), serverName: "Tandem"),
        services: services,
        logger: logger
    )
}

/// The background work of a node: the job runner with every kind of job, the hold-period release and the campaigns.
public func makeBackgroundServices(store: Store, config: AppConfig, dependencies: AppDependencies, logger: Logger) -> [any Service] {
    var jobLogger = logger
    jobLogger[metadataKey: "component"] = "jobs"
    let runner = JobRunner(
        store: store,
        handlers: [
            DeliverEmailJob(transport: dependencies.mailTransport, from: config.mailFrom),
            SendPayoutJob(providers: dependencies.payoutProviders),
            PollPayoutJob(providers: dependencies.payoutProviders),
        ],
        now: dependencies.now,
        logger: jobLogger
    )
    return [
        runner, RewardReleaseService(store: store, now: dependencies.now, logger: jobLogger),
        CampaignService(store: store, baseURL: config.baseURL, now: dependencies.now, logger: jobLogger),
        WebhookService(store: store, transport: dependencies.webhookTransport ?? HTTPWebhookTransport(policy: config.outbound), now: dependencies.now, logger: jobLogger),
    ]
}

func buildRouter(env: WebEnvironment, tracking: Tracking) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(LogRequestsMiddleware(.debug))
    router.middlewares.add(ErrorMiddleware(renderer: env.renderer, noteUnavailable: { [store = env.store] in store.noteWriteFailure($0) }))
    let routeTable = RouteTable()
    router.middlewares.add(MethodNotAllowedMiddleware(table: routeTable))
    router.middlewares.add(RequestIDMiddleware())
    router.middlewares.add(SecurityHeadersMiddleware())

    // Tracking and system routes: no session lookup, no CSRF cookie. The redirect is the hot path.
    // Reached only when `RedirectFastPath` passes: custom-link paths and unknown links (the 404 page).
    RedirectRoute(env: env, tracking: tracking).addRoutes(to: router, benchmarkRoute: env.config.benchmarkRoutes)
    TrackingScript.addRoutes(to: router)
    OpenAPIDocument.addRoute(to: router, baseURL: env.config.baseURL, outbound: env.config.outbound)
    try SystemRoutes(env: env).addRoutes(to: router)

    let api = router.group("api/v1").add(middleware: APIMiddleware(store: env.store, now: env.now, limits: env.limits))
    ProgramsAPI(env: env, links: tracking.links).addRoutes(to: api)
    PartnershipsAPI(env: env, links: tracking.links).addRoutes(to: api)
    CustomersAPI(env: env, tracking: tracking).addRoutes(to: api)
    TransactionsAPI(env: env, tracking: tracking).addRoutes(to: api)
    LeadsAndDealsAPI(env: env).addRoutes(to: api)
    PartnerAPI(env: env, tracking: tracking).addRoutes(to: api)
    RewardsAPI(env: env).addRoutes(to: api)
    APIKeysAPI(env: env).addRoutes(to: api)
    MessagesAPI(env: env).addRoutes(to: api)
    ResourcesAPI(env: env).addRoutes(to: api)
    CampaignsAPI(env: env).addRoutes(to: api)
    WebhooksAPI(env: env).addRoutes(to: api)
    PartnerTeamAPI(env: env).addRoutes(to: api)
    WithdrawalsAPI(env: env).addRoutes(to: api)

    let pages = router.group()
        .add(middleware: ServerTimingMiddleware())
        .add(middleware: CSRFMiddleware(secretKey: env.config.secretKey, secureCookies: env.config.secureCookies, renderer: env.renderer, identifiers: env.store.identifiers, uploads: env.limits.uploads))
        .add(middleware: SessionMiddleware(store: env.store, now: env.now))
    AuthPages(env: env).addRoutes(to: pages)
    PasswordResetPages(env: env).addRoutes(to: pages)
    HomePage(env: env).addRoutes(to: pages)
    RewardsPage(env: env).addRoutes(to: pages)
    ReportingPage(env: env).addRoutes(to: pages)
    MarketplacePage(env: env).addRoutes(to: pages)
    SettingsPage(env: env).addRoutes(to: pages)
    PartnerTeamPage(env: env).addRoutes(to: pages)
    PartnerKeysPage(env: env).addRoutes(to: pages)
    EmailConfirmPage(env: env).addRoutes(to: pages)
    UnsubscribePage(env: env).addRoutes(to: pages)
    FAQPage(env: env).addRoutes(to: pages)
    SupportPage(env: env).addRoutes(to: pages)
    ProgramSummaryPage(env: env).addRoutes(to: pages)
    ProgramPerformancePage(env: env).addRoutes(to: pages)
    ProgramLinksPage(env: env).addRoutes(to: pages)
    ProgramReferralsPage(env: env).addRoutes(to: pages)
    PartnerMessagesPages(env: env).addRoutes(to: pages)
    ProgramCustomTabPage(env: env).addRoutes(to: pages)
    PartnerResourcesPage(env: env).addRoutes(to: pages)
    VendorHomePage(env: env).addRoutes(to: pages)
    VendorPartnersPage(env: env, links: tracking.links).addRoutes(to: pages)
    VendorPartnerPage(env: env).addRoutes(to: pages)
    WebhookPages(env: env).addRoutes(to: pages)
    ProgramSettingsPage(env: env, links: tracking.links).addRoutes(to: pages)
    ProgramGroupsPage(env: env).addRoutes(to: pages)
    ProgramRulesPage(env: env).addRoutes(to: pages)
    VendorRewardsPage(env: env).addRoutes(to: pages)
    VendorPayoutsPage(env: env).addRoutes(to: pages)
    VendorReferralsPage(env: env).addRoutes(to: pages)
    VendorReportingPage(env: env).addRoutes(to: pages)
    VendorSettingsPages(env: env).addRoutes(to: pages)
    VendorMessagesPages(env: env).addRoutes(to: pages)
    ProgramPartnerTabsPage(env: env).addRoutes(to: pages)
    ProgramResourcesPage(env: env).addRoutes(to: pages)
    ProgramCampaignsPage(env: env).addRoutes(to: pages)
    CampaignPage(env: env).addRoutes(to: pages)
    if env.config.devMailbox {
        DevMailPage(env: env).addRoutes(to: pages)
    }
    routeTable.fill(from: router)
    return router
}
