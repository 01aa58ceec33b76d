import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TandemJobs
import TandemStore

/// Builds the whole Tandem web application. `tandem serve`, `tandem demo` and the tests all call this.
public func buildApplication(
    config: AppConfig, store: Store, dependencies: AppDependencies
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "tandem")
    logger.logLevel = config.logLevel
    _ = TandemMetrics.registry

    let renderer = try await Renderer(secretKey: config.secretKey, showDevMail: !config.isProduction)
    let env = WebEnvironment(
        store: store, renderer: renderer, hasher: PasswordHasher(cost: dependencies.bcryptCost), config: config, now: dependencies.now
    )
    let router = try buildRouter(env: env)
    var services: [any Service] = []
    if config.runJobsInProcess {
        services.append(makeJobRunner(store: store, config: config, dependencies: dependencies, logger: logger))
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(config.hostname, port: config.port), serverName: "Tandem"),
        services: services,
        logger: logger
    )
}

/// The background job runner with every kind of job Tandem has.
public func makeJobRunner(store: Store, config: AppConfig, dependencies: AppDependencies, logger: Logger) -> JobRunner {
    var jobLogger = logger
    jobLogger[metadataKey: "component"] = "jobs"
    return JobRunner(
        store: store,
        handlers: [DeliverEmailJob(transport: dependencies.mailTransport, from: config.mailFrom)],
        now: dependencies.now,
        logger: jobLogger
    )
}

func buildRouter(env: WebEnvironment) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(LogRequestsMiddleware(.debug))
    router.middlewares.add(ErrorMiddleware(renderer: env.renderer))
    router.middlewares.add(RequestIDMiddleware())
    router.middlewares.add(SecurityHeadersMiddleware())
    router.middlewares.add(CSRFMiddleware(secretKey: env.config.secretKey, secureCookies: env.config.secureCookies, renderer: env.renderer))
    router.middlewares.add(SessionMiddleware(store: env.store, now: env.now))

    try SystemRoutes(env: env).addRoutes(to: router)
    AuthPages(env: env).addRoutes(to: router)
    PasswordResetPages(env: env).addRoutes(to: router)
    HomePage(env: env).addRoutes(to: router)
    RewardsPage(env: env).addRoutes(to: router)
    ReportingPage(env: env).addRoutes(to: router)
    MarketplacePage(env: env).addRoutes(to: router)
    SettingsPage(env: env).addRoutes(to: router)
    FAQPage(env: env).addRoutes(to: router)
    SupportPage(env: env).addRoutes(to: router)
    ProgramSummaryPage(env: env).addRoutes(to: router)
    VendorHomePage(env: env).addRoutes(to: router)
    VendorPartnersPage(env: env).addRoutes(to: router)
    if !env.config.isProduction {
        DevMailPage(env: env).addRoutes(to: router)
    }
    return router
}
