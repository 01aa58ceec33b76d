import Foundation
import Hummingbird

/// FAQs: how tracking, rewards and withdrawals work in Tandem, in plain words.
struct FAQPage: WebPages {
    let env: WebEnvironment

    struct Entry {
        let id: String
        let question: String
        let answer: String
    }

    struct Section {
        let title: String
        let entries: [Entry]
    }

    struct Model {
        let shell: Shell
        let sections: [Section]
        let supportURL: String
    }

    static let sections: [Section] = [
        Section(title: "Tracking", entries: [
            Entry(id: "link", question: "How does my referral link track people?",
                  answer: "Each program gives you a link. When someone opens it, Tandem records a click, remembers the visitor in a first-party cookie, and sends them on to the vendor's site with a click id the vendor passes back when they sign up."),
            Entry(id: "unique", question: "What counts as a click?",
                  answer: "Unique clicks: one per visitor per link per day. Bots, link-preview fetchers (Slack, X, Facebook, LinkedIn, WhatsApp and others) and HEAD requests are not counted, but they are still redirected."),
            Entry(id: "window", question: "How long after a click does a sign-up count for me?",
                  answer: "For the program's cookie window, 90 days unless the vendor chose otherwise. If the visitor clicks another partner's link of the same program later, the last click wins. Once a customer is attributed to you, they stay yours."),
        ]),
        Section(title: "Rewards", entries: [
            Entry(id: "earn", question: "When do I earn a reward?",
                  answer: "When a referred customer does what the program rewards: signing up, paying, becoming a qualified lead or a won deal. The Summary page of each program lists its rewards in words."),
            Entry(id: "pending", question: "Why is my reward pending?",
                  answer: "Rewards wait out the program's hold period (often 30 days) so that refunds can be taken into account. Then they become available. The vendor may also approve a reward early, hold it for review, or decline it with a reason you can read."),
            Entry(id: "refund", question: "What happens when a customer gets a refund?",
                  answer: "Before payout, the reward is declined (or reduced for a partial refund). After payout, a negative reward is recorded that reduces your next withdrawal."),
        ]),
        Section(title: "Withdrawals", entries: [
            Entry(id: "provider", question: "How do I get paid?",
                  answer: "Choose a payout provider under Rewards & Withdrawals: PayPal (paid to your PayPal email) or Stripe (direct deposit to your connected account). Then withdraw your available balance once it reaches the program's minimum."),
            Entry(id: "currency", question: "Can I withdraw from several programs at once?",
                  answer: "Yes: available rewards of programs in the same currency add up into one withdrawal. Different currencies are withdrawn separately."),
            Entry(id: "status", question: "What do the withdrawal statuses mean?",
                  answer: "Requested: we have it. Processing: it is on its way through the provider. Paid: done. Failed: the provider refused it (the reason is shown) and the money is available again."),
        ]),
    ]

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(SiteRoute.partnerFAQs.routerPath) { _, context in
            let scope = try await PartnerScope.load(context, store: store)
            return try renderer.html("partner_faqs", Model(
                shell: scope.shell("FAQs", tab: .none, context: context, renderer: renderer),
                sections: Self.sections, supportURL: SiteRoute.partnerSupport.path
            ))
        }
    }
}
