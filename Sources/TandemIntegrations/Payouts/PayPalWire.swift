import Foundation

// The JSON PayPal's Payouts API takes and gives (payments_payouts_batch_v1). Decoding is lenient:
// every field is optional and a field of an unexpected shape reads as absent, so one odd field
// never hides the status we came for.

struct PayPalCreatePayoutBody: Encodable {
    struct SenderBatchHeader: Encodable {
        var senderBatchID: String
        enum CodingKeys: String, CodingKey { case senderBatchID = "sender_batch_id" }
    }

    struct Item: Encodable {
        var recipientType: String
        var amount: PayPalMoney
        var receiver: String
        var note: String?
        var senderItemID: String
        enum CodingKeys: String, CodingKey {
            case recipientType = "recipient_type", amount, receiver, note, senderItemID = "sender_item_id"
        }
    }

    var senderBatchHeader: SenderBatchHeader
    var items: [Item]
    enum CodingKeys: String, CodingKey { case senderBatchHeader = "sender_batch_header", items }
}

struct PayPalMoney: Encodable {
    var value: String
    var currency: String
}

struct PayPalToken: Decodable {
    var accessToken: String
    var tokenType: String?
    var expiresIn: Int?
    enum CodingKeys: String, CodingKey { case accessToken = "access_token", tokenType = "token_type", expiresIn = "expires_in" }
}

struct PayPalLink: Decodable {
    var href: String?
    var rel: String?
    enum CodingKeys: String, CodingKey { case href, rel }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        href = c.lenient(String.self, .href)
        rel = c.lenient(String.self, .rel)
    }
}

/// PayPal's `error` object: `name`, `message`, `details[]` (`field`, `issue`, `description`, `link[]`), `links[]`.
struct PayPalErrorBody: Decodable {
    struct Detail: Decodable {
        var field: String?
        var issue: String?
        var description: String?
        var link: [PayPalLink]
        enum CodingKeys: String, CodingKey { case field, issue, description, link, links }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            field = c.lenient(String.self, .field)
            issue = c.lenient(String.self, .issue)
            description = c.lenient(String.self, .description)
            link = (c.lenient([PayPalLink].self, .link) ?? []) + (c.lenient([PayPalLink].self, .links) ?? [])
        }
    }

    var name: String?
    var message: String?
    var debugID: String?
    var details: [Detail]
    var links: [PayPalLink]
    enum CodingKeys: String, CodingKey { case name, message, debugID = "debug_id", details, links }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = c.lenient(String.self, .name)
        message = c.lenient(String.self, .message)
        debugID = c.lenient(String.self, .debugID)
        details = c.lenient([Detail].self, .details) ?? []
        links = c.lenient([PayPalLink].self, .links) ?? []
    }

    /// "Sender does not have sufficient funds. (items[0].receiver: Receiver is invalid …)"
    var sentence: String? {
        let issues = details.compactMap { detail -> String? in
            guard let text = detail.description ?? detail.issue else { return nil }
            if let field = detail.field, !field.isEmpty { return "\(field): \(text)" }
            return text
        }
        let head = message ?? name
        switch (head, issues.isEmpty) {
        case (nil, true): return nil
        case (nil, false): return issues.joined(separator: "; ")
        case (let head?, true): return head
        case (let head?, false): return "\(head) (\(issues.joined(separator: "; ")))"
        }
    }
}

/// `payout` (create answer) and `payout_batch` (show answer) share what we read.
struct PayPalBatch: Decodable {
    struct Header: Decodable {
        var payoutBatchID: String?
        var batchStatus: String?
        enum CodingKeys: String, CodingKey { case payoutBatchID = "payout_batch_id", batchStatus = "batch_status" }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            payoutBatchID = c.lenient(String.self, .payoutBatchID)
            batchStatus = c.lenient(String.self, .batchStatus)
        }
    }

    struct Item: Decodable {
        var payoutItemID: String?
        var transactionStatus: String?
        var errors: PayPalErrorBody?
        enum CodingKeys: String, CodingKey {
            case payoutItemID = "payout_item_id", transactionStatus = "transaction_status", errors
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            payoutItemID = c.lenient(String.self, .payoutItemID)
            transactionStatus = c.lenient(String.self, .transactionStatus)
            errors = c.lenient(PayPalErrorBody.self, .errors)
        }
    }

    var batchHeader: Header?
    var items: [Item]
    enum CodingKeys: String, CodingKey { case batchHeader = "batch_header", items }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        batchHeader = c.lenient(Header.self, .batchHeader)
        items = c.lenient([Item].self, .items) ?? []
    }
}

extension KeyedDecodingContainer {
    /// The value, or nil when it is missing, null or of another shape.
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }
}
