import Foundation
import TandemDomain
import TandemIntegrations
import TandemTestSupport
import Testing
@testable import TandemWeb

/// Every request body's contract, probed field by field: what the OpenAPI document states of a
/// field (required, enum, limits, format) is what the server refuses, with that field named.
@Suite struct BodyContractTests {
    static let bodies = OpenAPISchemas.requestBodies

    // MARK: Bodies built from the contract alone

    /// A value the field takes, from its shape and note.
    static func sample(_ shape: ValueShape, _ note: FieldNote) -> Any {
        switch shape {
        case .string:
            if let value = note.values?.first { return value }
            if let example = note.example { return example }
            switch note.format {
            case .email?: return "ana@example.com"
            case .url?: return "https://example.com/page"
            case .hostname?: return "example.com"
            case .uuid?: return UUID().uuidString
            case .webhookURL?: return "https://hooks.example.com/in"
            case .pattern?: Issue.record("a pattern field without an example"); return ""
            case nil: return "x"
            }
        case .integer: return note.minimum ?? 0
        case .number: return (note.exclusiveMinimum ?? 0) + 1
        case .boolean: return note.only ?? true
        case .date: return "2026-01-01T00:00:00Z"
        case .uuid: return UUID().uuidString
        case .array(let items):
            var itemNote = note
            itemNote.minItems = nil
            return (0..<(note.minItems ?? 0)).map { _ in sample(items, itemNote) }
        case .object: return [String: Any]()
        }
    }

    static func field(_ body: any DocumentedBody, _ name: String) -> BodyField {
        body.fields.first { $0.name == name }!
    }

    /// The required fields, and those a case requires given the values chosen.
    static func minimal(_ body: any DocumentedBody) -> [String: Any] {
        var json: [String: Any] = [:]
        for field in body.fields where field.required { json[field.name] = sample(field.shape.shape, field.note) }
        return withCases(json, body)
    }

    /// Every field.
    static func full(_ body: any DocumentedBody) -> [String: Any] {
        var json: [String: Any] = [:]
        for field in body.fields { json[field.name] = sample(field.shape.shape, field.note) }
        return withCases(json, body)
    }

    static func withCases(_ json: [String: Any], _ body: any DocumentedBody) -> [String: Any] {
        var json = json
        for rule in body.cases where json[rule.field] as? String == rule.value {
            for (name, note) in rule.then {
                let field = field(body, name)
                json[name] = sample(field.shape.shape, field.note.refined(by: note))
            }
        }
        return json
    }

    /// What the server answers these fields as a body (decoding and the contract's checks).
    static func refusal(_ body: any DocumentedBody, _ json: [String: Any], outbound: OutboundPolicy = .strict) -> APIError? {
        body.refusal(of: try! JSONSerialization.data(withJSONObject: json), outbound: outbound)
    }

    static func property(_ body: any DocumentedBody, _ name: String) -> [String: Any] {
        let properties = body.schema(outbound: .strict)["properties"] as? [String: Any]
        return properties?[name] as? [String: Any] ?? [:]
    }

    // MARK: Tests

    @Test func everyHandlerBodyIsInTheDocumentOnce() {
        let names = Self.bodies.map(\.name)
        #expect(names.count == Set(names).count)
        #expect(names.count >= 31)
        let schemas = (OpenAPIDocument.document(baseURL: "http://tandem.test")["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        for name in names { #expect(schemas[name] != nil, "\(name) is not in the document") }
    }

    @Test(arguments: OpenAPISchemas.requestBodies.map(\.name))
    func theContractTakesTheBodiesItDescribes(name: String) {
        let body = Self.bodies.first { $0.name == name }!
        let minimal = Self.minimal(body)
        #expect(Self.refusal(body, minimal) == nil, "\(name) \(minimal): \(Self.refusal(body, minimal)?.message ?? "")")
        let full = Self.full(body)
        #expect(Self.refusal(body, full) == nil, "\(name) \(full): \(Self.refusal(body, full)?.message ?? "")")
        // Optional fields sent as null or left blank are absent.
        var nulls = minimal
        let requiredByCases = Set(body.cases.filter { minimal[$0.field] as? String == $0.value }.flatMap(\.then.keys))
        for field in body.fields where !field.required && !requiredByCases.contains(field.name) { nulls[field.name] = NSNull() }
        #expect(Self.refusal(body, nulls) == nil, "\(name) with nulls: \(Self.refusal(body, nulls)?.message ?? "")")
    }

    /// Each rule the document states of a field, broken on its own in an otherwise good body:
    /// the server's check refuses it and names the field.
    @Test(arguments: OpenAPISchemas.requestBodies.map(\.name))
    func everyRuleTheDocumentStatesIsRefusedNamingTheField(name: String) {
        let body = Self.bodies.first { $0.name == name }!
        let base = Self.minimal(body)
        func refused(_ field: String, _ value: Any?, expect path: String? = nil, code: String? = nil, _ what: String) {
            var json = base
            json[field] = value
            let violation = Self.refusal(body, json)
            #expect(violation?.field == (path ?? field), "\(name).\(field) \(what): \(violation?.message ?? "accepted")")
            if let code { #expect(violation?.code == code, "\(name).\(field) \(what)") }
        }
        var unknown = base
        unknown["zz_not_a_field"] = 1
        #expect(Self.refusal(body, unknown)?.code == "unknown_field")

        for field in body.fields {
            let name = field.name
            let note = field.note
            let schema = Self.property(body, name)
            if field.required {
                refused(name, nil, code: "missing_field", "left out")
                if case .string = field.shape.shape { refused(name, "  ", code: "missing_field", "blank") }
            }
            switch field.shape.shape {
            case .string:
                if let maxLength = note.maxLength {
                    #expect(schema["maxLength"] as? Int == maxLength, "\(name).\(field.name) maxLength in the document")
                    refused(name, String(repeating: "a", count: maxLength + 1), "past maxLength")
                }
                if let values = note.values {
                    #expect((schema["enum"] as? [Any])?.compactMap { $0 as? String } == values)
                    refused(name, "not-one-of-these", "not in the enum")
                }
                switch note.format {
                case .email?: refused(name, "not-an-email", "not an email")
                case .url?: refused(name, "ftp://example.com/", "not http(s)")
                case .hostname?: refused(name, "not a host", "not a host name")
                case .uuid?: refused(name, "not-a-uuid", "not an id")
                case .webhookURL?: refused(name, "http://hooks.example.com/in", "http without OUTBOUND_ALLOW_HTTP")
                case .pattern?: refused(name, "!", "not the pattern")
                case nil: if note.values == nil { refused(name, "a\u{7}b", "a control character") }
                }
            case .integer:
                if let minimum = note.minimum { refused(name, minimum - 1, "under the minimum") }
                if let maximum = note.maximum { refused(name, maximum + 1, "over the maximum") }
                if APIJSON.isAmountField(name) {
                    #expect(schema["maximum"] as? Int == Int(AmountLimit.maximum))
                    refused(name, AmountLimit.maximum + 1, code: "amount_too_large", "past the amount limit")
                }
                refused(name, "12", "a string")
            case .number:
                if let floor = note.exclusiveMinimum { refused(name, floor, "at the exclusive minimum") }
                if let maximum = note.numberMaximum { refused(name, maximum + 1, "over the maximum") }
            case .boolean:
                if let only = note.only {
                    #expect((schema["enum"] as? [Bool]) == [only] || (schema["enum"] as? [Any])?.first as? Bool == only)
                    refused(name, !only, "the value it does not take")
                }
                refused(name, "yes", "a string")
            case .array(let items):
                if let minItems = note.minItems, minItems > 0 { refused(name, [Any](), "fewer than minItems") }
                if let maxItems = note.maxItems {
                    var itemNote = note
                    itemNote.minItems = nil
                    refused(name, (0...maxItems).map { _ in Self.sample(items, itemNote) }, "more than maxItems")
                }
                if let values = note.values, !values.isEmpty { refused(name, ["not-one-of-these"], expect: name + "[0]", "an item not in the enum") }
                if note.format == .uuid { refused(name, ["not-a-uuid"], expect: name + "[0]", "an item not an id") }
            case .date:
                refused(name, "yesterday", "not a time")
            case .uuid, .object:
                break
            }
        }
        for rule in body.cases {
            var json = base
            json[rule.field] = rule.value
            json = Self.withCases(json, body)
            #expect(Self.refusal(body, json) == nil, "\(name) with \(rule.field)=\(rule.value)")
            for required in rule.then.keys {
                var without = json
                without[required] = nil
                let violation = Self.refusal(body, without)
                #expect(violation?.code == "missing_field" && violation?.field == required, "\(name): \(required) when \(rule.field)=\(rule.value)")
            }
        }
    }

    /// Under OUTBOUND_ALLOW_HTTP and OUTBOUND_ALLOW_PRIVATE, the document and the check take the
    /// local addresses development uses; by default, neither does.
    @Test func aWebhookURLIsTakenAsTheOperatorAllows() {
        let body = WebhooksAPI.contract
        let local: [String: Any] = ["url": "http://127.0.0.1:45123/hook", "events": ["reward.created"]]
        #expect(Self.refusal(body, local)?.field == "url")
        #expect(Self.refusal(body, local, outbound: OutboundPolicy(allowHTTP: true, allowPrivate: true)) == nil)
        let strictPattern = (body.schema(outbound: .strict)["properties"] as? [String: Any]).flatMap { ($0["url"] as? [String: Any])?["pattern"] as? String }
        let openPattern = (body.schema(outbound: OutboundPolicy(allowHTTP: true, allowPrivate: true))["properties"] as? [String: Any])
            .flatMap { ($0["url"] as? [String: Any])?["pattern"] as? String }
        #expect(strictPattern != nil && openPattern != nil && strictPattern != openPattern)
        #expect(ContractCheck.matches("https://hooks.example.com:8443/in", strictPattern!))
        #expect(!ContractCheck.matches("https://hooks.example.com:70000/in", strictPattern!))
    }

    /// A body's shape is read from its Swift type: names in snake_case, Optionals optional,
    /// arrays, nested objects, times and ids.
    @Test func theShapeComesFromTheSwiftType() {
        struct Inner: Decodable { var on: Bool? }
        struct Sample: Decodable {
            var name: String
            var maxCount: Int64?
            var share: Double?
            var tags: [String]?
            var groups: [UUID]
            var startsAt: Date?
            var id: UUID?
            var inner: Inner?
        }
        let shape = BodyShape.fields(of: Sample.self)
        #expect(shape == [
            FieldShape(name: "name", shape: .string, optional: false),
            FieldShape(name: "max_count", shape: .integer, optional: true),
            FieldShape(name: "share", shape: .number, optional: true),
            FieldShape(name: "tags", shape: .array(.string), optional: true),
            FieldShape(name: "groups", shape: .array(.uuid), optional: false),
            FieldShape(name: "starts_at", shape: .date, optional: true),
            FieldShape(name: "id", shape: .uuid, optional: true),
            FieldShape(name: "inner", shape: .object([FieldShape(name: "on", shape: .boolean, optional: true)]), optional: true),
        ])
    }

    /// Over HTTP: a limit the contract states (a custom link's slug, at most 50 characters) is
    /// in the served document and refused by the server, and nothing is stored.
    @Test func theServedDocumentAndTheServerAgree() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor)
            _ = try await t.enrol(vendor, email: "pat@example.com")
            let partner = try await t.partnerKey(email: "pat@example.com")
            let document = try await t.browser.get("/api/openapi.json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(document.body.utf8)) as? [String: Any])
            let schemas = (json["components"] as? [String: Any])?["schemas"] as? [String: Any]
            let slug = ((schemas?["LinkCreate"] as? [String: Any])?["properties"] as? [String: Any])?["slug"] as? [String: Any]
            let limit = try #require(slug?["maxLength"] as? Int)
            let long = try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": String(repeating: "s", count: limit + 1)])
            #expect(long.status == .badRequest && long.errorField == "slug" && long.errorCode == "invalid_field", "\(long.text)")
            let fits = try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": String(repeating: "s", count: limit)])
            #expect(fits.status == .created, "\(fits.text)")
            let unknown = try await partner.post("/api/v1/partner/links", ["program": "acme", "slug": "spring", "colour": "red"])
            #expect(unknown.errorCode == "unknown_field" && unknown.errorField == "colour")
        }
    }
}
