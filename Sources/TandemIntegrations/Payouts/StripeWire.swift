import Foundation

/// The parts of Stripe's `transfer` object we read.
struct StripeTransfer: Decodable {
    var id: String
    var reversed: Bool?
    var amountReversed: Int64?
    enum CodingKeys: String, CodingKey { case id, reversed, amountReversed = "amount_reversed" }
}

/// A page of a Stripe list (`{"object": "list", "data": [...], "has_more": …}`).
struct StripeList<Item: Decodable>: Decodable {
    var data: [Item]
}

/// `{"error": {"type", "code", "message", "param"}}`.
struct StripeErrorEnvelope: Decodable {
    struct Body: Decodable {
        var type: String?
        var code: String?
        var message: String?
        var param: String?
        enum CodingKeys: String, CodingKey { case type, code, message, param }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = c.lenient(String.self, .type)
            code = c.lenient(String.self, .code)
            message = c.lenient(String.self, .message)
            param = c.lenient(String.self, .param)
        }
    }

    var error: Body
}
