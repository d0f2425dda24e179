import Foundation
import GRDB
import RNNData

/// One version of a data set, as first seen by a run: a `data_versions` row. Trials point to it by their
/// `data_fingerprint`; `status` and `report` name versions by its first 12 hex digits.
public struct DataVersion: Sendable, Equatable {
    /// The SHA-256 fingerprint of the files' contents (``RNNData/DataFingerprint``).
    public var fingerprint: String
    /// Sizes, shape and classes (`DatasetSplits.summary`).
    public var summary: String
    /// The files read, as absolute paths when first seen (``describe(sources:)``: a corpus of many files as its
    /// folder and count).
    public var sources: [String]
    /// The class names the files give (folder names, `.ts` labels, a CSV's label strings), in class-index order;
    /// nil when they give none.
    public var classNames: [String]?
    /// When a run first recorded it (ISO 8601, UTC).
    public var firstSeen: String

    public init(fingerprint: String, summary: String, sources: [String], classNames: [String]?, firstSeen: String = "")
    {
        self.fingerprint = fingerprint
        self.summary = summary
        self.sources = sources
        self.classNames = classNames
        self.firstSeen = firstSeen
    }

    /// The files of a data set as people read them: up to three paths, or `<folder>/ (N files)` for a corpus of many
    /// (a text folder holds one file per document).
    public static func describe(sources: [String]) -> [String] {
        guard sources.count > 3 else { return sources }
        var common = sources[0].split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for path in sources.dropFirst() {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            var shared = 0
            while shared < min(common.count, parts.count)
                && common[common.startIndex + shared] == parts[parts.startIndex + shared]
            {
                shared += 1
            }
            common = common.prefix(shared)
        }
        return [common.joined(separator: "/") + "/ (\(sources.count) files)"]
    }

    /// How reports and `status` name a fingerprint: its first 12 hex digits (48 bits: distinct versions of one
    /// sweep's data never collide in practice).
    public static func label(_ fingerprint: String?) -> String {
        fingerprint.map(DataFingerprint.short) ?? "unrecorded"
    }

    init(row: Row) throws {
        fingerprint = row["fingerprint"]
        summary = row["summary"]
        firstSeen = row["first_seen"]
        sources = try Self.strings(row["sources"], column: "data_versions.sources") ?? []
        classNames = try Self.strings(row["class_names"], column: "data_versions.class_names")
    }

    static func json(_ strings: [String]) -> String {
        String(decoding: try! JSONEncoder().encode(strings), as: UTF8.self)  // strings always encode
    }

    private static func strings(_ text: String?, column: String) throws -> [String]? {
        guard let text else { return nil }
        do { return try JSONDecoder().decode([String].self, from: Data(text.utf8)) } catch {
            throw MetricsStoreError.badJSON(column: column, detail: "\(error)")
        }
    }
}

extension MetricsStore {
    /// Records data versions not yet known; a known fingerprint keeps its first row.
    public func recordDataVersions(_ versions: [DataVersion]) throws {
        try pool.write { db in try Self.insertDataVersions(versions, db: db) }
    }

    static func insertDataVersions(_ versions: [DataVersion], db: Database) throws {
        for version in versions {
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO data_versions (fingerprint, summary, sources, class_names, first_seen)
                    VALUES (?, ?, ?, ?, coalesce(nullif(?, ''), \(StoreSchema.now)))
                    """,
                arguments: [
                    version.fingerprint, version.summary, DataVersion.json(version.sources),
                    version.classNames.map(DataVersion.json), version.firstSeen,
                ])
        }
    }

    /// Every data version the database knows, by fingerprint.
    public func dataVersions() throws -> [String: DataVersion] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM data_versions")
            return Dictionary(
                uniqueKeysWithValues: try rows.map {
                    let v = try DataVersion(row: $0); return (v.fingerprint, v)
                })
        }
    }
}
