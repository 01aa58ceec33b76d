import Foundation
import Hummingbird
import TandemStore
import TandemTestSupport
import Testing
@testable import TandemWeb

/// The OpenAPI document at `/api/openapi.json` describes exactly the routes the router has.
@Suite struct OpenAPITests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// `/api/v1/programs/{slug}` → `/api/v1/programs/{}`: parameter names may differ.
    static func normalize(_ path: String) -> String {
        path.replacingOccurrences(of: #"\{[^}/]*\}"#, with: "{}", options: .regularExpression)
    }

    static func isDescribed(_ path: String) -> Bool {
        path.hasPrefix("/api/") || path.hasPrefix("/r/") || path == "/t.js"
    }

    /// The real router's public routes, as "method /normalized/path".
    static func routerOperations() async throws -> Set<String> {
        try await TestDatabase.withStore { store in
            let config = TestApp.config(store.location)
            let env = WebEnvironment(
                store: store, renderer: try await Renderer(secretKey: config.secretKey, showDevMail: true),
                hasher: PasswordHasher(cost: 4), config: config, now: { Date() }, liveProviders: []
            )
            let router = try buildRouter(env: env, tracking: Tracking(store: store))
            return Set(router.routes.map { "\($0.method.rawValue.lowercased()) \(normalize($0.path.description))" })
        }
    }

    static func document() throws -> [String: Any] {
        let text = OpenAPIDocument.json(baseURL: "http://tandem.test")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func documentedOperations(_ document: [String: Any]) throws -> Set<String> {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operations: Set<String> = []
        for (path, item) in paths {
            for method in item.keys where methods.contains(method) { operations.insert("\(method) \(normalize(path))") }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndEveryOperationIsARoute() async throws {
        let routes = try await Self.routerOperations()
        let described = routes.filter { Self.isDescribed(String($0.split(separator: " ")[1])) }
        let documented = try Self.documentedOperations(Self.document())
        #expect(described.count > 20, "the router's API routes were not found: \(routes.sorted())")
        #expect(described.contains("get /api/openapi.json"))
        #expect(described.subtracting(documented).isEmpty, "routes missing from the OpenAPI document: \(described.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented operations the router does not have: \(documented.subtracting(routes).sorted())")
    }

    @Test func theDocumentIsServedAsOpenAPI31() async throws {
        try await TestApp.run { browser, _, _ in
            let page = try await browser.get("/api/openapi.json")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("application/json") == true)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
            #expect(json["openapi"] as? String == "3.1.0")
            #expect((json["servers"] as? [[String: Any]])?.first?["url"] as? String == "http://tandem.test")
            let schemes = (json["components"] as? [String: Any])?["securitySchemes"] as? [String: [String: Any]]
            #expect(schemes?["bearer"]?["scheme"] as? String == "bearer")
            if let out = ProcessInfo.processInfo.environment["OPENAPI_JSON_OUT"], !out.isEmpty {
                try page.body.write(toFile: out, atomically: true, encoding: .utf8)
            }
        }
    }

    @Test func everyRefResolves() throws {
        let document = try Self.document()
        var refs: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let ref = object["$ref"] as? String { refs.append(ref) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(document)
        #expect(refs.count > 50)
        for ref in Set(refs) {
            #expect(ref.hasPrefix("#/components/"), "\(ref) is not a local component")
            var target: Any? = document
            for token in ref.dropFirst(2).split(separator: "/") {
                let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                target = (target as? [String: Any])?[key]
            }
            #expect(target is [String: Any], "\(ref) does not resolve")
        }
    }

    @Test func pathParametersMatchTheTemplatesAndIdsAreUnique() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        var operationIds: [String] = []
        for (path, item) in paths {
            let names = path.matches(of: #/\{([^}/]+)\}/#).map { String($0.output.1) }
            let declared = ((item["parameters"] as? [[String: Any]]) ?? []).filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
            #expect(Set(names) == Set(declared), "\(path) declares path parameters \(declared)")
            for (method, operation) in item where Self.methods.contains(method) {
                let operation = try #require(operation as? [String: Any])
                operationIds.append(try #require(operation["operationId"] as? String))
                let responses = try #require(operation["responses"] as? [String: Any])
                #expect(!responses.isEmpty, "\(method) \(path) has no responses")
                if method == "post", path.hasPrefix("/api/v1/") {
                    let parameters = (operation["parameters"] as? [[String: Any]]) ?? []
                    #expect(parameters.contains { $0["$ref"] as? String == "#/components/parameters/IdempotencyKey" }, "\(path) lacks Idempotency-Key")
                }
            }
        }
        #expect(Set(operationIds).count == operationIds.count, "operationIds repeat: \(operationIds.sorted())")
    }
}
