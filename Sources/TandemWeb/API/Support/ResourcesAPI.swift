import Foundation
import Hummingbird
import TandemOperations
import TandemStore

/// Resources through the API, the same workflow as the console and the Resources tab:
/// `POST /api/v1/programs/{slug}/resources` (multipart: `title`, `description`, `group` (repeatable),
/// and a `file` or a `url`), `GET` the list, `DELETE` one; a partner key lists what its
/// groups see (`/api/v1/partner/resources?program=`) and downloads a file.
struct ResourcesAPI {
    let env: WebEnvironment
    static let fields: Set<String> = ["title", "description", "group", "url", "file"]

    struct ResourceDTO: Encodable {
        let id: UUID
        let object = "resource"
        let program: String
        let kind: String
        let title: String
        let description: String
        /// The groups that see it; empty: every group.
        let groups: [UUID]
        @NullEncoded var url: String?
        @NullEncoded var fileName: String?
        @NullEncoded var contentType: String?
        let sizeBytes: Int64
        let createdAt: Date
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("programs/:slug/resources") { request, context in
            let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: try context.vendorCompanyID(), on: env.store, field: "slug")
            let resources = try await ResourceReads.of(programIDs: [try program.requireID()], on: env.store.db)
            let audiences = try await AudienceGroups.of(resources.compactMap(\.id), on: env.store.sql)
            return try APIJSON.response(try PageRequest(request).page(resources, id: \.id).map {
                try ResourceDTO($0, program: program.slug, groups: audiences[try $0.requireID()] ?? [], url: $0.url)
            })
        }
        api.post("programs/:slug/resources") { request, context in
            let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: try context.vendorCompanyID(), on: env.store, field: "slug")
            let form = try Self.multipart(request, context)
            if let unknown = form.parts.map(\.name).first(where: { !Self.fields.contains($0) }) {
                throw APIError(status: .badRequest, code: "unknown_field", message: "`\(unknown)` is not a field of this request.", field: unknown)
            }
            // `group` may be repeated: each is a group that sees it (none: every group).
            let groups = form.parts.filter { $0.name == "group" && $0.fileName == nil }.compactMap { String(data: $0.data, encoding: .utf8) }
            let upload = form.file("file").map {
                Resources.Upload(fileName: $0.fileName ?? "file", contentType: $0.contentType ?? "application/octet-stream", data: $0.data)
            }
            let resource = try await Resources.create(
                program: program, groupIDs: groups, title: form.field("title") ?? "", description: form.field("description"),
                url: form.field("url"), file: upload, now: env.now(), on: env.store.db
            )
            let audience = try await AudienceGroups.of([try resource.requireID()], on: env.store.sql)
            return try APIJSON.response(try ResourceDTO(resource, program: program.slug, groups: audience[try resource.requireID()] ?? [], url: resource.url),
                                        status: .created)
        }
        api.delete("programs/:slug/resources/:id") { _, context in
            let program = try await APILookups.program(slug: context.parameters.get("slug"), companyID: try context.vendorCompanyID(), on: env.store, field: "slug")
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("resource") }
            try await Resources.delete(programID: try program.requireID(), resourceID: id, on: env.store.db)
            return Response(status: .noContent)
        }
        api.get("partner/resources") { request, context in
            let partnership = try await partnership(context, slug: try Self.programParameter.value(request))
            let resources = try await ResourceReads.visible(programID: partnership.$program.id, toGroup: partnership.$group.id, on: env.store.db)
            let audiences = try await AudienceGroups.of(resources.compactMap(\.id), on: env.store.sql)
            return try APIJSON.response(try PageRequest(request).page(resources, id: \.id).map { resource in
                let id = try resource.requireID()
                let link = resource.kind == .file ? env.config.baseURL + "/api/v1/partner/resources/\(id.pathText)/download" : resource.url
                return try ResourceDTO(resource, program: partnership.program.slug, groups: audiences[id] ?? [], url: link)
            })
        }
        api.get("partner/resources/:id/download") { _, context in
            let accountID = try context.partnerAccountID()
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("resource") }
            // Found through one of the account's active partnerships whose group sees it, or not at all.
            for partnership in try await PartnershipReads.ofAccount(accountID, on: env.store.db) where partnership.status == .active {
                if let resource = try await ResourceReads.visibleFile(id: id, programID: partnership.$program.id, toGroup: partnership.$group.id, on: env.store.db),
                   let data = try await ResourceReads.data(resourceID: id, on: env.store.db) {
                    return ResourceDownload.response(resource, data: data)
                }
            }
            throw APIError.notFound("resource")
        }
    }

    static let programParameter = QueryParameter.text("program", "The program (its slug).").isRequired

    func partnership(_ context: AppRequestContext, slug: String?) async throws -> Partnership {
        let accountID = try context.partnerAccountID()
        guard let slug = slug.nonBlank else {
            throw APIError(status: .badRequest, code: "missing_field", message: "`program` (the program's slug) is required.", field: "program")
        }
        guard let partnership = try await PartnershipReads.ofAccount(accountID, programSlug: slug, on: env.store.db).first, partnership.status == .active else {
            throw APIError.notFound("program")
        }
        return partnership
    }

    /// The request's multipart body, or a 400 that says what to send.
    static func multipart(_ request: Request, _ context: AppRequestContext) throws -> MultipartForm {
        guard let boundary = MultipartForm.boundary(contentType: request.headers[.contentType]), let body = context.apiBody,
              let form = MultipartForm(body: Data(body.readableBytesView), boundary: boundary) else {
            throw APIError(status: .badRequest, code: "invalid_body", message: "Send multipart/form-data with `title` and a `file` or a `url`.")
        }
        return form
    }
}

// From the stored rows; the memberwise initializer builds the document's example.
extension ResourcesAPI.ResourceDTO {
    init(_ resource: Resource, program: String, groups: [UUID], url: String?) throws {
        id = try resource.requireID()
        self.program = program
        kind = resource.kind.rawValue
        title = resource.title
        description = resource.description
        self.groups = groups
        self.url = url
        fileName = resource.fileName
        contentType = resource.kind == .file ? Resources.servedType(resource.contentType) : nil
        sizeBytes = resource.sizeBytes
        createdAt = resource.createdAt
    }
}

// The answer (`ResponseContract`).
extension ResourcesAPI {
    static let resourceResponse = ResponseContract(
        ResourceDTO(
            id: Examples.id(18), program: Examples.programSlug, kind: "file", title: "Brand kit", description: "Logos and colours.",
            groups: [Examples.id(10)], url: "https://tandem.example/api/v1/partner/resources/\(Examples.id(18))/download",
            fileName: "brand-kit.zip", contentType: "application/zip", sizeBytes: 48_213, createdAt: Examples.date
        ),
        name: "Resource", notes: [
            "program": .programSlug,
            "kind": .oneOf(["file", "link"]),
            "groups": .list("The groups that see it; empty: every group."),
            "url": .text("A link's address; for a partner, a file's download."),
            "content_type": .text("The type it is served with."),
            "size_bytes": .integer("The file's size; 0 for a link.", min: 0),
        ]
    )
}
