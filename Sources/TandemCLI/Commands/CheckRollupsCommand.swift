import ArgumentParser
import TandemStore
import TandemWeb

/// `tandem check-rollups`: recomputes the daily rollups from the events and reports any row
/// that differs. Exits 1 when one does, so a script (or CI's multi-node run) can rely on it.
struct CheckRollupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-rollups", abstract: "Recompute the rollups (daily figures, click counts, reward balances) from the rows they sum and list every row that differs."
    )

    func run() async throws {
        let config = try loadConfig()
        bootstrapLogging(config)
        let report = try await withStore(config, migrate: false) { store in try await RollupCheck.run(on: store.sql) }
        for difference in report.differences { print(difference) }
        print("\(report.partnerships) partnerships (\(report.partnershipDays) days with events) and \(report.linkDays) link-days of clicks checked: "
              + (report.differences.isEmpty ? "the rollups equal the events." : "\(report.differences.count) rows differ."))
        if !report.differences.isEmpty { throw ExitCode(1) }
    }
}
