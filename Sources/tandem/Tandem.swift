import ArgumentParser
import TandemCLI

/// The executable: everything it does lives in TandemCLI.
@main
struct Tandem: AsyncParsableCommand {
    static let configuration = TandemCommand.configuration
}
