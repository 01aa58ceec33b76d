import FluentKit
import Foundation
import SQLKit
import Synchronization
import TandemDomain

/// Writes webhook events into the outbox. Every function takes the caller's database, so it
/// runs in the caller's transaction: an event exists exactly when its change committed, and a
/// crash after the commit loses nothing (the dispatcher finds it at the next pass).
public enum EventOutbox {
    /// The request body of a delivery, as Standard Webhooks describes it.
    struct Envelope<Payload: Encodable>: Encodable {
        let type: String
        let timestamp: Date
        let data: Payload
    }

    private static let lastSequence = Mutex<Int64>(0)

    /// Microseconds since 1970 times 1,000, and never less than the last one this process gave:
    /// increasing within a node, roughly in time order across nodes.
    static func nextSequence(now: Date) -> Int64 {
        let base = Int64(now.timeIntervalSince1970 * 1_000_000) * 1000
        return lastSequence.withLock { last in
            last = max(last + 1, base)
            return last
        }
    }

    /// A place in the event order taken before the event's data is known. A payment's event
    /// lists the rewards it earned, so it is written after them; its slot, taken before they
    /// are awarded, still puts it ahead of their `reward.created` (a receiver hears of the
    /// payment first).
    public struct Slot: Sendable {
        let sequence: Int64
    }

    public static func reserve(at now: Date) -> Slot {
        Slot(sequence: nextSequence(now: now))
    }

    static func body(type: WebhookEventType, at now: Date, data: some Encodable) throws -> String {
        String(decoding: try ContractJSON.encoder.encode(Envelope(type: type.rawValue, timestamp: now, data: data)), as: UTF8.self)
    }

    /// Records one event for the company's webhooks and, when `partnerAccountID` is set, that
    /// partner's postbacks (`partnerData` when the partner sees less than the vendor).
    @discardableResult
    public static func record(
        _ type: WebhookEventType, companyID: UUID?, partnerAccountID: UUID?, data: some Encodable, partnerData: (any Encodable)? = nil,
        slot: Slot? = nil, at now: Date, on db: any Database
    ) async throws -> WebhookEvent {
        let event = try make(type, companyID: companyID, partnerAccountID: partnerAccountID, data: data, partnerData: partnerData, slot: slot, at: now)
        try await event.create(on: db)
        return event
    }

    static func make(
        _ type: WebhookEventType, companyID: UUID?, partnerAccountID: UUID?, data: some Encodable, partnerData: (any Encodable)?,
        slot: Slot? = nil, at now: Date
    ) throws -> WebhookEvent {
        let event = WebhookEvent()
        event.sequence = slot?.sequence ?? nextSequence(now: now)
        event.type = type.rawValue
        event.companyID = companyID
        event.partnerAccountID = partnerAccountID
        event.body = try body(type: type, at: now, data: data)
        if let partnerData { event.partnerBody = try body(type: type, at: now, data: partnerData) }
        event.createdAt = now
        return event
    }

    struct Owners: Decodable {
        let slug: String
        let company_id: UUID
        let partner_account_id: UUID
    }

    /// The program's slug and company, and the partner account, of a partnership.
    static func owners(partnershipID: UUID, on db: any Database) async throws -> Owners? {
        try await (db as! any SQLDatabase).raw("""
            SELECT g.slug, g.company_id, p.partner_account_id FROM partnerships p JOIN programs g ON g.id = p.program_id WHERE p.id = \(bind: partnershipID)
            """).first(decoding: Owners.self)
    }

    /// `reward.created` (no `previous`: it is new) or `reward.updated`, with the reward as it is now.
    static func reward(_ id: UUID, previous: RewardStatus?, reason: String?, at now: Date, on db: any Database) async throws {
        if let previous { return try await rewardsUpdated([id], previous: previous, reason: reason, at: now, on: db) }
        guard let reward = try await Reward.find(id, on: db), let owners = try await owners(partnershipID: reward.$partnership.id, on: db) else { return }
        try await rewardsCreated([reward], programSlug: owners.slug, companyID: owners.company_id, partnerAccountID: owners.partner_account_id, at: now, on: db)
    }

    /// `reward.created` for new rewards of one partnership, in one insert (ordered as `rewards`).
    static func rewardsCreated(_ rewards: [Reward], programSlug: String, companyID: UUID, partnerAccountID: UUID, at now: Date, on db: any Database) async throws {
        let events = try rewards.map { reward in
            try make(.rewardCreated, companyID: companyID, partnerAccountID: partnerAccountID,
                     data: try RewardObject(reward, programSlug: programSlug), partnerData: nil, at: now)
        }
        for chunk in events.chunked(500) { try await Array(chunk).create(on: db) }
    }

    /// `reward.updated` for many rewards that made the same move, in one read and one insert
    /// (ordered as `ids`, so each reward's events keep their order).
    static func rewardsUpdated(_ ids: [UUID], previous: RewardStatus, reason: String?, at now: Date, on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        let rewards = Dictionary(try await Reward.query(on: db).filter(\.$id ~~ ids).all().compactMap { reward in reward.id.map { ($0, reward) } },
                                 uniquingKeysWith: { a, _ in a })
        var owners: [UUID: Owners] = [:]
        var events: [WebhookEvent] = []
        for id in ids {
            guard let reward = rewards[id] else { continue }
            let partnershipID = reward.$partnership.id
            if owners[partnershipID] == nil { owners[partnershipID] = try await self.owners(partnershipID: partnershipID, on: db) }
            guard let owner = owners[partnershipID] else { continue }
            let object = try RewardObject(reward, programSlug: owner.slug)
            events.append(try make(.rewardUpdated, companyID: owner.company_id, partnerAccountID: owner.partner_account_id,
                                   data: RewardChangeObject(reward: object, previousStatus: previous.rawValue, reason: reason), partnerData: nil, at: now))
        }
        if !events.isEmpty { try await events.create(on: db) }
    }

    /// `withdrawal.created` or `.updated`: one event for each company whose programs' rewards it
    /// holds (each vendor's webhooks hear of it), the partner's postbacks hearing it once.
    static func withdrawal(_ id: UUID, created: Bool, at now: Date, on db: any Database) async throws {
        guard let withdrawal = try await Withdrawal.find(id, on: db) else { return }
        let sql = db as! any SQLDatabase
        struct RewardRow: Decodable { let id: UUID }
        struct CompanyRow: Decodable { let company_id: UUID }
        let rewards = try await sql.raw("SELECT id FROM rewards WHERE withdrawal_id = \(bind: id) ORDER BY created_at, id").all(decoding: RewardRow.self)
        let companies = try await sql.raw("SELECT DISTINCT company_id FROM withdrawal_programs WHERE withdrawal_id = \(bind: id) ORDER BY company_id")
            .all(decoding: CompanyRow.self).map(\.company_id)
        let object = try WithdrawalObject(withdrawal, rewards: rewards.map(\.id))
        let type: WebhookEventType = created ? .withdrawalCreated : .withdrawalUpdated
        for (index, companyID) in (companies.isEmpty ? [nil] : companies.map(Optional.some)).enumerated() {
            try await record(type, companyID: companyID, partnerAccountID: index == 0 ? withdrawal.$partnerAccount.id : nil, data: object, at: now, on: db)
        }
    }

    /// `partnership.created` or `.updated`, with the partnership as the vendor's API shows it.
    public static func partnership(_ partnership: Partnership, created: Bool, at now: Date, on db: any Database) async throws {
        let id = try partnership.requireID()
        struct Row: Decodable { let slug: String; let company_id: UUID; let name: String }
        guard let row = try await (db as! any SQLDatabase).raw("""
            SELECT g.slug, g.company_id, a.name FROM programs g, partner_accounts a
            WHERE g.id = \(bind: partnership.$program.id) AND a.id = \(bind: partnership.$partnerAccount.id)
            """).first(decoding: Row.self) else { return }
        let link = try await LinkReads.defaultLink(partnershipID: id, activeOnly: true, on: db)
        let object = try PartnershipObject(partnership, programSlug: row.slug, partnerName: row.name, linkKey: link?.key, baseURL: db.publicURL)
        try await record(created ? .partnershipCreated : .partnershipUpdated, companyID: row.company_id, partnerAccountID: partnership.$partnerAccount.id,
                         data: object, at: now, on: db)
    }

    /// `customer.created`: the vendor's webhooks get the customer; the referring partner's
    /// postbacks get what the partner's API shows (the email masked).
    public static func customerCreated(_ customer: Customer, program: Program, at now: Date, on db: any Database) async throws {
        var partnerAccountID: UUID?
        if let partnershipID = customer.$partnership.id {
            partnerAccountID = try await owners(partnershipID: partnershipID, on: db)?.partner_account_id
        }
        try await customerEvent(customer, program: program, partnerAccountID: partnerAccountID, at: now).create(on: db)
    }

    /// `customer.created` for many customers of one partner account (or of none), in one insert.
    public static func customersCreated(_ customers: [Customer], program: Program, partnerAccountID: UUID?, at now: Date, on db: any Database) async throws {
        guard !customers.isEmpty else { return }
        try await customers.map { try customerEvent($0, program: program, partnerAccountID: partnerAccountID, at: now) }.create(on: db)
    }

    static func customerEvent(_ customer: Customer, program: Program, partnerAccountID: UUID?, at now: Date) throws -> WebhookEvent {
        let partnerView = PartnerCustomerObject(
            id: try customer.requireID(), program: program.slug, name: customer.name, email: customer.email, signedUpAt: customer.signedUpAt)
        return try make(.customerCreated, companyID: program.$company.id, partnerAccountID: partnerAccountID,
                        data: try CustomerObject(customer, programSlug: program.slug), partnerData: partnerView, at: now)
    }

    /// An event of something that belongs to one partnership (a payment, a refund, a lead, a deal, a message).
    public static func ofPartnership(
        _ partnershipID: UUID?, _ type: WebhookEventType, companyID: UUID, data: some Encodable, slot: Slot? = nil, at now: Date, on db: any Database
    ) async throws {
        var partnerAccountID: UUID?
        if let partnershipID { partnerAccountID = try await owners(partnershipID: partnershipID, on: db)?.partner_account_id }
        try await record(type, companyID: companyID, partnerAccountID: partnerAccountID, data: data, slot: slot, at: now, on: db)
    }

    /// `ofPartnership` for many events of one type, the partner accounts read once per partnership.
    public static func ofPartnerships(
        _ events: [(partnershipID: UUID?, data: any Encodable, slot: Slot?)], _ type: WebhookEventType, companyID: UUID, at now: Date, on db: any Database
    ) async throws {
        var accounts: [UUID: UUID?] = [:]
        var made: [WebhookEvent] = []
        made.reserveCapacity(events.count)
        for (partnershipID, data, slot) in events {
            var partnerAccountID: UUID?
            if let partnershipID {
                if accounts[partnershipID] == nil { accounts[partnershipID] = .some(try await owners(partnershipID: partnershipID, on: db)?.partner_account_id) }
                partnerAccountID = accounts[partnershipID] ?? nil
            }
            made.append(try make(type, companyID: companyID, partnerAccountID: partnerAccountID, data: data, partnerData: nil, slot: slot, at: now))
        }
        for chunk in made.chunked(500) { try await Array(chunk).create(on: db) }
    }
}
