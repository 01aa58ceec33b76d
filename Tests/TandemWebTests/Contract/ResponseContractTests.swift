import Foundation
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// The answers' schemas are read from the types the handlers encode: what the document says of
/// an answer is what the server sends, checked here against real answers.
@Suite struct ResponseContractTests {
    nonisolated(unsafe) static let schemas: [String: Any] = {
        let document = OpenAPIDocument.document(baseURL: "http://tandem.test")
        return ((document["components"] as? [String: Any])?["schemas"] as? [String: Any]) ?? [:]
    }()

    /// The places `value` breaks `schema` (a subset of JSON Schema: the keywords the document uses for answers).
    static func violations(of value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
        if let ref = schema["$ref"] as? String {
            guard let target = schemas[String(ref.dropFirst("#/components/schemas/".count))] as? [String: Any] else { return ["\(path): \(ref) resolves to nothing"] }
            return violations(of: value, against: target, at: path)
        }
        if let options = schema["anyOf"] as? [[String: Any]] {
            return options.contains { violations(of: value, against: $0, at: path).isEmpty } ? [] : ["\(path): none of anyOf"]
        }
        let types: [String] = (schema["type"] as? [String]) ?? [(schema["type"] as? String)].compactMap { $0 }
        if value is NSNull { return types.contains("null") ? [] : ["\(path): null, not \(types)"] }
        var found: [String] = []
        if let values = schema["enum"] as? [Any], !values.contains(where: { "\($0)" == "\(value)" && !($0 is NSNull) }) { found.append("\(path): \(value) not in \(values)") }
        if let constant = schema["const"] as? String, constant != value as? String { found.append("\(path): \(value) is not \(constant)") }
        switch value {
        case let object as [String: Any]:
            guard types.contains("object") else { return found + ["\(path): an object, not \(types)"] }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil { found.append("\(path).\(name): missing") }
            for (name, item) in object {
                guard let property = properties[name] as? [String: Any] else { found.append("\(path).\(name): not in the schema"); continue }
                found += violations(of: item, against: property, at: "\(path).\(name)")
            }
        case let array as [Any]:
            guard types.contains("array") else { return found + ["\(path): a list, not \(types)"] }
            for (index, item) in array.enumerated() { found += violations(of: item, against: schema["items"] as? [String: Any] ?? [:], at: "\(path)[\(index)]") }
        case let text as String:
            guard types.contains("string") else { return found + ["\(path): a string, not \(types)"] }
            if schema["format"] as? String == "uuid", UUID(uuidString: text) == nil { found.append("\(path): \(text) is not a uuid") }
            if schema["format"] as? String == "date-time", (try? Date.ISO8601FormatStyle().parse(text)) == nil { found.append("\(path): \(text) is not a date-time") }
        case let number as NSNumber:
            // JSON's true and false come back as NSNumbers of a char.
            let isBool = String(cString: number.objCType) == "c"
            if isBool {
                if !types.contains("boolean") { found.append("\(path): a boolean, not \(types)") }
            } else if types.contains("integer") {
                if number.doubleValue != number.doubleValue.rounded() { found.append("\(path): \(number) is not an integer") }
            } else if !types.contains("number") {
                found.append("\(path): a number, not \(types)")
            }
        default:
            found.append("\(path): \(value) of an unknown kind")
        }
        return found
    }

    static func check(_ answer: APIClient.Answer, is name: String, list: Bool = false) {
        guard let schema = schemas[name] as? [String: Any] else { Issue.record("no schema \(name)"); return }
        let items = list ? answer.data : [answer.object]
        #expect(!items.isEmpty, "\(name): \(answer.text)")
        for item in items {
            let found = violations(of: item, against: schema)
            #expect(found.isEmpty, "\(name): \(found) in \(answer.text)")
        }
    }

    // MARK: The shape, read from the type

    struct Inner: Encodable, Sendable { let n: Int }
    struct Sample: Encodable, Sendable {
        let object = "sample"
        let id: UUID
        var left: String?
        @NullEncoded var nulled: Date?
        let inner: Inner
        let list: [Inner]
    }

    @Test func fieldsTypesAndPresenceComeFromTheType() throws {
        let sample = Sample(id: UUID(), left: "x", nulled: Date(), inner: Inner(n: 1), list: [Inner(n: 2)])
        let contract = ResponseContract(sample, name: "Sample", notes: ["inner.n": .integer("A count.")])
        let schema = contract.schema(names: [ObjectIdentifier(Inner.self): "Inner"])
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(Set(properties.keys) == ["object", "id", "left", "nulled", "inner", "list"])
        #expect(properties["object"]?["const"] as? String == "sample")
        #expect(properties["id"]?["format"] as? String == "uuid")
        // A plain Optional is left out when nil: not required, and null is taken too.
        #expect(!(schema["required"] as? [String] ?? []).contains("left"))
        #expect(properties["left"]?["type"] as? [String] == ["string", "null"])
        // `@NullEncoded` is always there and may be null.
        #expect((schema["required"] as? [String] ?? []).contains("nulled"))
        #expect(properties["nulled"]?["type"] as? [String] == ["string", "null"])
        #expect(properties["nulled"]?["format"] as? String == "date-time")
        // A named type is a reference; a list's items are its element's shape.
        #expect(properties["inner"]?["$ref"] as? String == "#/components/schemas/Inner")
        #expect((properties["list"]?["items"] as? [String: Any])?["$ref"] as? String == "#/components/schemas/Inner")
        // Unnamed, it is inline, with its notes.
        let inline = contract.schema(names: [:])
        let inner = try #require((inline["properties"] as? [String: [String: Any]])?["inner"])
        #expect(((inner["properties"] as? [String: [String: Any]])?["n"])?["description"] as? String == "A count.")
    }

    @Test func everyExampleIsAllItsSchemaSaysAndNothingElse() throws {
        for answer in OpenAPISchemas.responseBodies {
            let schema = try #require(Self.schemas[answer.name] as? [String: Any])
            let example = try #require((schema["examples"] as? [Any])?.first as? [String: Any], "\(answer.name)")
            #expect(Self.violations(of: example, against: schema).isEmpty, "\(answer.name): \(Self.violations(of: example, against: schema))")
            let properties = try #require(schema["properties"] as? [String: Any])
            #expect(Set(example.keys) == Set(properties.keys), "\(answer.name): the example and the schema name other fields")
            // Every note names a field the answer has.
            for key in answer.notes.keys {
                let top = String(key.split(separator: ".").first ?? "")
                #expect(properties[top] != nil, "\(answer.name): a note on \(key), which it does not have")
            }
        }
    }

    // MARK: Real answers

    @Test func theServersAnswersMatchTheirSchemas() async throws {
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            Self.check(try await t.program(vendor, extra: ["features": ["leads": true, "deals": true]]), is: "Program")
            Self.check(try await vendor.get("/api/v1/programs"), is: "Program", list: true)
            let rule = try await vendor.post("/api/v1/programs/acme/reward-rules", ["trigger": "transaction", "kind": "percent", "percent": 20])
            Self.check(rule, is: "RewardRule")
            let enrolled = try await vendor.post("/api/v1/partnerships", ["program": "acme", "email": "pat@example.com", "name": "Pat"])
            Self.check(enrolled, is: "Partnership")
            let partnerKey = try #require(enrolled.string("partner_key"))
            let customer = try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_1", "partner_key": partnerKey])
            Self.check(customer, is: "Customer")
            // Unattributed: its nullable fields are null, and still match.
            Self.check(try await vendor.post("/api/v1/customers", ["program": "acme", "key": "cus_2"]), is: "Customer")
            let sale = try await vendor.post("/api/v1/transactions", ["program": "acme", "customer_key": "cus_1", "external_id": "in_1", "amount": 10_000, "currency": "USD"])
            Self.check(sale, is: "Transaction")
            Self.check(try await vendor.post("/api/v1/transactions/in_1/refunds", ["program": "acme", "amount": 2_500]), is: "Refund")
            Self.check(try await vendor.get("/api/v1/rewards"), is: "Reward", list: true)
            Self.check(try await vendor.post("/api/v1/leads", ["program": "acme", "partner_key": partnerKey, "email": "ops@globex.example", "name": "Hank"]), is: "Lead")

            let partner = try await t.partnerKey(email: "pat@example.com")
            Self.check(try await partner.get("/api/v1/partner/programs"), is: "PartnerProgram", list: true)
            Self.check(try await partner.get("/api/v1/partner/customers"), is: "PartnerCustomer", list: true)
            Self.check(try await partner.get("/api/v1/partner/stats?program=acme"), is: "PartnerStats")
            Self.check(try await partner.get("/api/v1/partner/links"), is: "Link", list: true)
        }
    }
}
