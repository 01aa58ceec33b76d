import Foundation
import Hummingbird

/// Placeholder until the page is written: registers nothing.
struct ProgramLinksPage: WebPages {
    let env: WebEnvironment

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {}
}
