import Foundation
import RNNData
import RNNTraining

/// A line and column (both 1-based) in an experiment file.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars (as libyaml does).
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The start of the file, for errors about the file as a whole.
    public static let start = SourcePosition(line: 1, column: 1)

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// One `key: value` from an experiment file, validated against `ParameterSchema`.
public struct ParameterSetting: Sendable, Hashable {
    /// The parameter name.
    public var key: String
    /// The validated value.
    public var value: ParameterValue
    /// Where the value is written.
    public var position: SourcePosition

    public init(key: String, value: ParameterValue, position: SourcePosition) {
        self.key = key
        self.value = value
        self.position = position
    }
}

/// One grid key and the values it takes, in file order.
public struct GridAxis: Sendable, Hashable {
    /// The parameter name.
    public var key: String
    /// The validated values, in file order.
    public var values: [ParameterValue]
    /// Where the key is written.
    public var position: SourcePosition
    /// Where each value is written (parallel to `values`).
    public var valuePositions: [SourcePosition]

    public init(key: String, values: [ParameterValue], position: SourcePosition, valuePositions: [SourcePosition]) {
        precondition(values.count == valuePositions.count, "one position per value")
        self.key = key
        self.values = values
        self.position = position
        self.valuePositions = valuePositions
    }
}

/// A grid mapping: the cartesian product of its axes (the first axis varies slowest).
public struct GridBlock: Sendable, Hashable {
    /// The keys in file order.
    public var axes: [GridAxis]
    /// Where the block's mapping starts.
    public var position: SourcePosition

    public init(axes: [GridAxis], position: SourcePosition) {
        self.axes = axes
        self.position = position
    }
}

/// An `exclude:` entry: drops every grid point whose resolved parameters match all of its settings.
public struct ExcludeRule: Sendable, Hashable {
    /// The key/value pairs that must all match.
    public var settings: [ParameterSetting]
    /// Where the entry starts.
    public var position: SourcePosition

    public init(settings: [ParameterSetting], position: SourcePosition) {
        self.settings = settings
        self.position = position
    }
}

/// A validated experiment file. Every list keeps the order of the file.
public struct Experiment: Sendable, Hashable {
    /// The sweep's name in the database (`[A-Za-z0-9._-]+`).
    public var name: String
    /// Free text from the file (empty when absent).
    public var description: String
    /// The file it was read from (as given to the loader).
    public var path: String
    /// Top-level data keys (`dataset`, `limit`, …): defaults for every trial.
    public var dataDefaults: [ParameterSetting]
    /// The `defaults:` mapping.
    public var defaults: [ParameterSetting]
    /// The grid blocks; the trials are the union of their products. Empty means one grid point (the defaults).
    public var grid: [GridBlock]
    /// Where `grid:` is written (used to place errors about the grid as a whole).
    public var gridPosition: SourcePosition
    /// Every grid point is run once per seed.
    public var seeds: [Int]
    public var exclude: [ExcludeRule]
    /// The `executor:` block, if any (not part of the experiment's identity: where it runs changes no result).
    public var executor: ExecutorBlock?
    /// The `search:` block: sampled configurations, each run at every grid point.
    public var search: SearchSpace?
    /// The `early_stopping:` block (successive halving).
    public var earlyStopping: EarlyStopping?
    /// The top-level `budget:` or `until:` (not part of the experiment's identity: when a run ends changes no
    /// result), and where it was written.
    public var deadline: DeadlineSpec?
    public var deadlinePosition: SourcePosition?

    public init(
        name: String, description: String = "", path: String, dataDefaults: [ParameterSetting] = [],
        defaults: [ParameterSetting] = [], grid: [GridBlock], gridPosition: SourcePosition = .start,
        seeds: [Int] = [1], exclude: [ExcludeRule] = []
    ) {
        self.name = name
        self.description = description
        self.path = path
        self.dataDefaults = dataDefaults
        self.defaults = defaults
        self.grid = grid
        self.gridPosition = gridPosition
        self.seeds = seeds
        self.exclude = exclude
    }

    /// Makes every relative `data_dir` absolute against `folder` (the experiment file's): wherever the file is run
    /// from, it reads the same data. `~` is left for the loader to expand.
    public mutating func resolveDataPaths(relativeTo folder: URL) {
        func resolve(_ value: ParameterValue) -> ParameterValue {
            guard case .string(let path) = value else { return value }
            return .string(DataPath.resolve(path, against: folder))
        }
        func resolve(_ settings: inout [ParameterSetting]) {
            for i in settings.indices where settings[i].key == "data_dir" {
                settings[i].value = resolve(settings[i].value)
            }
        }
        resolve(&dataDefaults)
        resolve(&defaults)
        for b in grid.indices {
            for a in grid[b].axes.indices where grid[b].axes[a].key == "data_dir" {
                grid[b].axes[a].values = grid[b].axes[a].values.map(resolve)
            }
        }
        for e in exclude.indices { resolve(&exclude[e].settings) }
    }

    /// Parameter names in the order they first appear in the file.
    public var parameterOrder: [String] {
        var firstSeen: [String: SourcePosition] = [:]
        let keyed =
            (dataDefaults + defaults + exclude.flatMap(\.settings)).map { ($0.key, $0.position) }
            + grid.flatMap(\.axes).map { ($0.key, $0.position) }
            + (search?.dimensions ?? []).map { ($0.key, $0.position) }
        for (key, position) in keyed where firstSeen[key].map({ position < $0 }) ?? true {
            firstSeen[key] = position
        }
        return firstSeen.sorted { $0.value < $1.value }.map(\.key)
    }

    /// A canonical JSON description of the whole experiment (sorted keys; grid and seeds in file order),
    /// stored with the sweep so that its definition survives edits to the file.
    public var resolvedContent: String { resolvedContent(warmStartTrials: nil) }

    /// ``resolvedContent`` with the ids of the trials a warm start used (``WarmStart``), as `run` stores it: a
    /// resumed run reads them back rather than matching again.
    public func resolvedContent(warmStartTrials: [String]?) -> String {
        struct Axis: Encodable {
            var key: String
            var values: [ParameterValue]
        }
        struct Search: Encodable {
            var samples: Int
            var seed: UInt64
            var space: [String: [String: [ParameterValue]]]
            // Absent for random search, so existing sweeps' stored definitions stay byte-identical.
            var method: String?
            var batch: Int?
            var startup: Int?
            // Absent without a warm start, likewise.
            var warm_start: [String]?
            var warm_start_trials: [String]?
        }
        struct Halving: Encodable {
            var method = "successive_halving"
            var metric: String
            var min_epochs: Int
            var reduction_factor: Int
        }
        struct Content: Encodable {
            var name: String
            var description: String
            var defaults: [String: ParameterValue]
            var grid: [[Axis]]
            var seeds: [Int]
            var exclude: [[String: ParameterValue]]
            var search: Search?
            var early_stopping: Halving?
        }
        func dictionary(_ settings: [ParameterSetting]) -> [String: ParameterValue] {
            Dictionary(settings.map { ($0.key, $0.value) }, uniquingKeysWith: { _, later in later })
        }
        let content = Content(
            name: name, description: description, defaults: dictionary(dataDefaults + defaults),
            grid: grid.map { $0.axes.map { Axis(key: $0.key, values: $0.values) } }, seeds: seeds,
            exclude: exclude.map { dictionary($0.settings) },
            search: search.map { space in
                Search(
                    samples: space.samples, seed: space.seed,
                    space: Dictionary(
                        uniqueKeysWithValues: space.dimensions.map {
                            ($0.key, [$0.distribution.name: $0.distribution.values])
                        }),
                    method: space.method == .random ? nil : space.method.name,
                    batch: { if case .tpe(let b, _) = space.method { b } else { nil } }(),
                    startup: { if case .tpe(_, let s) = space.method { s } else { nil } }(),
                    warm_start: space.warmStart.isEmpty ? nil : space.warmStart.map(\.name),
                    warm_start_trials: space.warmStart.isEmpty ? nil : warmStartTrials)
            },
            early_stopping: earlyStopping.map {
                Halving(
                    method: $0.method.rawValue, metric: $0.rule.metric.recordName, min_epochs: $0.rule.minEpochs,
                    reduction_factor: $0.rule.reductionFactor)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        return String(decoding: try! encoder.encode(content), as: UTF8.self)
    }
}
