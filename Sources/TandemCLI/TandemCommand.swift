import ArgumentParser

/// `tandem`: the one executable. Each subcommand is a thin shell over the libraries.
public struct TandemCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tandem",
        abstract: "Tandem: partner programs you run yourself.",
        subcommands: [ServeCommand.self, MigrateCommand.self, WorkerCommand.self, DemoCommand.self, VendorCommand.self, PartnerCommand.self, KeyCommand.self, SeedCommand.self, BackupCommand.self, CheckRollupsCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}
}
