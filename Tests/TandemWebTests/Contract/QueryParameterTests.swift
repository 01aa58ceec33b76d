import Foundation
import Hummingbird
import TandemTestSupport
import Testing
@testable import TandemWeb

/// Every query parameter the document lists is read by its handler as the document says: each
/// value the document refuses is a 400 naming that parameter, each value of an enum is taken, a
/// required one left out is `missing_field`.
@Suite struct QueryParameterTests {
    struct Probe: @unchecked Sendable {
        let path: String
        let name: String
        let schema: [String: Any]
        let required: Bool
    }

    /// Every GET operation's query parameters, from the document (references resolved).
    static func probes() throws -> [Probe] {
        let document = OpenAPIDocument.document(baseURL: "http://tandem.test")
        let components = try #require((document["components"] as? [String: Any])?["parameters"] as? [String: [String: Any]])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var probes: [Probe] = []
        for (path, item) in paths {
            guard let get = item["get"] as? [String: Any], let parameters = get["parameters"] as? [[String: Any]] else { continue }
            for parameter in parameters {
                var resolved = parameter
                if let ref = parameter["$ref"] as? String, let target = components[String(ref.split(separator: "/").last ?? "")] { resolved = target }
                guard resolved["in"] as? String == "query", let name = resolved["name"] as? String,
                      let schema = resolved["schema"] as? [String: Any] else { continue }
                probes.append(Probe(path: path, name: name, schema: schema, required: resolved["required"] as? Bool ?? false))
            }
        }
        return probes.sorted { ($0.path, $0.name) < ($1.path, $1.name) }
    }

    /// Values the document's schema refuses, by the kind it states.
    static func refused(_ schema: [String: Any]) -> [String] {
        if schema["enum"] != nil { return ["nonsense", ""] }
        switch (schema["type"] as? String, schema["format"] as? String) {
        case ("boolean"?, _): return ["maybe"]
        case ("integer"?, _): return ["many", String((schema["maximum"] as? Int ?? 0) + 1), String((schema["minimum"] as? Int ?? 0) - 1)]
        case (_, "uuid"?): return ["not-an-id", ""]
        case (_, "date"?): return ["2026-13-45", "yesterday"]
        default: return ["a%01b"]
        }
    }

    @Test func everyListedParameterIsReadAsTheDocumentSays() async throws {
        let probes = try Self.probes()
        #expect(probes.count >= 30, "\(probes.count) query parameters found")
        try await TestApp.with { t in
            let vendor = try await t.vendor()
            try await t.program(vendor, extra: ["features": ["leads": true, "deals": true]])
            let enrolled = try await t.enrol(vendor, email: "pat@example.com")
            let partner = try await t.partnerKey(email: "pat@example.com")
            let webhook = try #require(try await vendor.post("/api/v1/webhooks", ["url": "https://hooks.example.com/in", "events": ["reward.created"]]).string("id"))
            let postback = try #require(try await partner.post("/api/v1/partner/postbacks", ["url": "https://hooks.example.com/in", "events": ["reward.created"]]).string("id"))
            // The thing each `{id}` names (the handler finds it before it reads the query).
            let ids = ["/api/v1/partnerships/": enrolled.id, "/api/v1/webhooks/": webhook, "/api/v1/partner/postbacks/": postback]
            // What a required parameter is given while another is probed.
            let valid: [String: String] = ["program": "acme", "partnership": enrolled.id]

            func call(_ probe: Probe, _ query: [String: String]) async throws -> APIClient.Answer {
                var path = probe.path.replacingOccurrences(of: "{slug}", with: "acme")
                for (prefix, id) in ids where path.hasPrefix(prefix) { path = path.replacingOccurrences(of: "{id}", with: id) }
                let pairs = query.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                if !pairs.isEmpty { path += "?" + pairs.joined(separator: "&") }
                let answer = try await vendor.get(path)
                return answer.status == .forbidden ? try await partner.get(path) : answer
            }
            func base(_ probe: Probe) -> [String: String] {
                var query: [String: String] = [:]
                for other in probes where other.path == probe.path && other.required && other.name != probe.name { query[other.name] = valid[other.name] }
                return query
            }

            for probe in probes {
                for value in Self.refused(probe.schema) {
                    var query = base(probe)
                    query[probe.name] = value
                    let answer = try await call(probe, query)
                    #expect(answer.status == .badRequest, "\(probe.path) ?\(probe.name)=\(value): \(answer.status) \(answer.text)")
                    #expect(answer.errorField == probe.name, "\(probe.path) ?\(probe.name)=\(value): \(answer.text)")
                }
                for value in probe.schema["enum"] as? [String] ?? [] {
                    var query = base(probe)
                    query[probe.name] = value
                    let answer = try await call(probe, query)
                    #expect(answer.status == .ok, "\(probe.path) ?\(probe.name)=\(value): \(answer.status) \(answer.text)")
                }
                if probe.required {
                    let answer = try await call(probe, base(probe))
                    #expect(answer.status == .badRequest && answer.errorCode == "missing_field" && answer.errorField == probe.name,
                            "\(probe.path) without \(probe.name): \(answer.text)")
                }
            }
        }
    }
}
