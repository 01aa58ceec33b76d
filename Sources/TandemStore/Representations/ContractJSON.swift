import Foundation

/// JSON as the API and the webhooks speak it: snake_case keys, ISO 8601 times in UTC, keys
/// sorted. One encoder, so an event's `data` is byte for byte what the API answers.
public enum ContractJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
