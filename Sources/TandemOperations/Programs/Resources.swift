import FluentKit
import Foundation
import TandemDomain
import TandemStore

/// Files and links a vendor gives a program's partners, for one group or every group.
/// A file is at most 25 MB and kept in the database; whatever type it claims, it is served
/// as a download (`servedType`), never as a page of our origin.
public enum Resources {
    public static let maxFileBytes = 25 * 1024 * 1024
    public static let maxTitle = 100
    public static let maxDescription = 1000

    /// Types served as themselves (still as attachments); anything else is served as bytes.
    public static let safeTypes: Set<String> = [
        "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "application/zip", "text/csv", "text/plain",
        "video/mp4", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ]

    public static func servedType(_ stored: String?) -> String {
        guard let stored, safeTypes.contains(stored) else { return "application/octet-stream" }
        return stored
    }

    public struct Upload: Sendable {
        public let fileName: String
        public let contentType: String
        public let data: Data

        public init(fileName: String, contentType: String, data: Data) {
            self.fileName = fileName
            self.contentType = contentType
            self.data = data
        }
    }

    public static func create(
        program: Program, groupIDs rawGroups: [String], title raw: String, description rawDescription: String?, url rawURL: String?, file: Upload?,
        now: Date, on db: any Database
    ) async throws -> Resource {
        let programID = try program.requireID()
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= maxTitle, !TextRules.hasControlCharacter(title) else {
            throw OperationError.invalid(field: "title", message: "Give it a title of at most \(maxTitle) characters.")
        }
        let description = (rawDescription ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard description.count <= maxDescription, !TextRules.hasControlCharacter(description, allowingLineBreaks: true) else {
            throw OperationError.invalid(field: "description", message: "The description is at most \(maxDescription) characters.")
        }
        let link = (rawURL ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let resource: Resource
        if let file, !file.data.isEmpty {
            guard file.data.count <= maxFileBytes else {
                throw OperationError.invalid(field: "file", message: "A file is at most 25 MB; this one is \(file.data.count / (1024 * 1024)) MB.")
            }
            let name = String(file.fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "file").trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 200, !TextRules.hasControlCharacter(name) else {
                throw OperationError.invalid(field: "file", message: "The file's name is empty or too long.")
            }
            let type = file.contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            resource = Resource(programID: programID, title: title, description: description, kind: .file, url: nil,
                                fileName: name, contentType: type.isEmpty || type.count > 200 ? "application/octet-stream" : type,
                                sizeBytes: Int64(file.data.count), createdAt: now)
        } else if !link.isEmpty {
            guard let url = Destination.sharedLink(link) else {
                throw OperationError.invalid(field: "url", message: "Enter an address that starts with https:// (or http://).")
            }
            resource = Resource(programID: programID, title: title, description: description, kind: .link,
                                url: url, fileName: nil, contentType: nil, sizeBytes: 0, createdAt: now)
        } else {
            throw OperationError.missing(field: "file", message: "Choose a file to upload, or give a link.")
        }
        let groupIDs = try await ProgramGroupChoice.checked(rawGroups, programID: programID, field: "group", on: db)
        try await db.transaction { db in
            try await resource.create(on: db)
            try await AudienceGroups.set(try resource.requireID(), groups: groupIDs, on: db)
            if let file, resource.kind == .file {
                try await ResourceFile(resourceID: try resource.requireID(), data: file.data).create(on: db)
            }
        }
        return resource
    }

    /// Removes one of the program's resources with its bytes; another program's is not found.
    public static func delete(programID: UUID, resourceID: UUID, on db: any Database) async throws {
        guard let resource = try await ResourceReads.find(id: resourceID, programID: programID, on: db) else {
            throw OperationError.notFound(what: "resource")
        }
        try await db.transaction { db in
            try await ResourceFile.query(on: db).filter(\.$resource.$id == resourceID).delete()
            try await AudienceGroups.clear(resourceID, on: db)
            try await resource.delete(on: db)
        }
    }

}
