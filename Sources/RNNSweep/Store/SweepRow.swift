import Foundation
import GRDB

/// The primary key of a row in `sweeps`.
public struct SweepID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { "sweep #\(rawValue)" }
}

/// One row of `sweeps`.
public struct SweepRow: Sendable, Equatable {
    public var id: SweepID
    /// Unique sweep name (the experiment's name).
    public var name: String
    public var description: String?
    /// Path of the experiment file it was last registered from.
    public var experimentPath: String?
    /// The resolved experiment content as JSON text.
    public var experimentJSON: String
    /// Parameter keys that vary across the grid, in experiment-file order.
    public var varyingKeys: [String]
    /// The experiment file as written when the sweep was last registered; nil when not recorded (older rnnsweep).
    public var experimentText: String?
    /// The command line of the latest `run`, shell-quoted; nil when not recorded.
    public var command: String?
    /// ISO-8601 UTC timestamps with milliseconds, e.g. `2025-01-31T12:00:00.000Z`.
    public var createdAt: String
    public var updatedAt: String
    /// The sweep's folder relative to the database's folder (see `StoreSchema.v3Executors`).
    public var runDirectory: String?
    /// The executor settings of its last `run`, as JSON.
    public var executorJSON: String?
    /// How busy its latest local `run` kept its workers (0…1, ``WorkerBusyTime``); nil when not measured.
    public var busyFraction: Double?

    init(row: Row) throws {
        id = SweepID(rawValue: row["id"])
        name = row["name"]
        description = row["description"]
        experimentPath = row["experiment_path"]
        experimentJSON = row["experiment"]
        let keysText: String = row["varying_keys"]
        do {
            varyingKeys = try JSONDecoder().decode([String].self, from: Data(keysText.utf8))
        } catch {
            throw MetricsStoreError.badJSON(column: "sweeps.varying_keys", detail: "\(error)")
        }
        experimentText = row["experiment_text"]
        command = row["command"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        runDirectory = row["run_directory"]
        executorJSON = row["executor"]
        busyFraction = row["busy_fraction"]
    }
}
