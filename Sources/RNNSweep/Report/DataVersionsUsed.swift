import RNNTraining

/// Which version of its data each trial of a sweep read: the trials grouped by `data_fingerprint`, in order of
/// first ordinal. When a file's contents change between runs, the re-run adds new trials (their ids hash the new
/// fingerprint) and the old ones stay: `status` and `report` say so here, and a report splits its rows by the
/// `data` key rather than averaging results of different data.
public struct DataVersionsUsed: Sendable {
    /// The key by which reports name a trial's data version (`--rows data`, `--where data=3f2a9c1d0b7e`).
    public static let key = "data"

    public struct Entry: Sendable {
        /// Nil for trials that recorded none: generated data, or registered before fingerprints and not run since.
        public var fingerprint: String?
        public var ordinals: [Int]
        /// The recorded version (files, summary, first seen), when the database has it.
        public var version: DataVersion?
    }

    public var entries: [Entry]
    /// The database's data versions (by fingerprint) this was built with.
    public var knownVersions: [String: DataVersion]

    public init(rows: [TrialRow], known: [String: DataVersion]) {
        knownVersions = known
        var entries: [Entry] = []
        for row in rows.sorted(by: { $0.ordinal < $1.ordinal }) {
            if let index = entries.firstIndex(where: { $0.fingerprint == row.dataFingerprint }) {
                entries[index].ordinals.append(row.ordinal)
            } else {
                entries.append(
                    Entry(
                        fingerprint: row.dataFingerprint, ordinals: [row.ordinal],
                        version: row.dataFingerprint.flatMap { known[$0] }))
            }
        }
        self.entries = entries
    }

    /// Whether the trials read more than one recorded version of the data.
    public var changed: Bool { entries.filter { $0.fingerprint != nil }.count > 1 }

    /// The class names of `fingerprint`'s version, when recorded.
    public func classNames(_ fingerprint: String?) -> [String]? {
        entries.first { $0.fingerprint == fingerprint && fingerprint != nil }?.version?.classNames
    }

    /// When the data changed: a headline, then one line per version with its trials, first use and files.
    public var lines: [String] {
        guard changed else { return [] }
        var lines = [
            "the sweep's data changed between runs: its trials read \(entries.count) versions (`\(Self.key)` column); "
                + "the trials of one version are never averaged with another's"
        ]
        for entry in entries {
            var line = "data \(DataVersion.label(entry.fingerprint)): trials " + SweepData.ranges(entry.ordinals)
            if let version = entry.version {
                line += " — first read \(version.firstSeen.prefix(16).replacingOccurrences(of: "T", with: " ")) from "
                line += version.sources.joined(separator: ", ")
            } else if entry.fingerprint == nil {
                line += " — registered before data fingerprints, not run since"
            }
            lines.append(line)
        }
        return lines
    }
}

/// The data check's warnings of a sweep's trials (``TrialRow/dataWarnings``), each once, with the trials it
/// concerns when not all: what `status` and the report's caption repeat.
public enum DataWarnings {
    public static func lines(_ rows: [TrialRow]) -> [String] {
        var order: [String] = []
        var ordinals: [String: [Int]] = [:]
        for row in rows.sorted(by: { $0.ordinal < $1.ordinal }) {
            for warning in row.dataWarnings {
                if ordinals[warning] == nil { order.append(warning) }
                ordinals[warning, default: []].append(row.ordinal)
            }
        }
        return order.map { warning in
            let which = ordinals[warning]!
            return which.count == rows.count ? warning : "trials " + SweepData.ranges(which) + ": " + warning
        }
    }
}
