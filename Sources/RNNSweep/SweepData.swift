import Foundation
import RNNData
import RNNEngine
import RNNTraining

/// A sweep's data, read and checked once before anything is written — by `plan`, and by `run` before it registers
/// the sweep: every distinct data set of the trials is loaded through the decoded-data cache (so that the workers
/// read it cheaply afterwards), checked by its loader (a missing or unreadable file, a wrong format, a label or
/// shape rule broken: the error names the file, the array and the index), and fingerprinted. The trials then get
/// their ids from the fingerprints (``TrainingParameters/identity(data:)``).
public struct SweepData: Sendable {
    /// One data set some trials read.
    public struct DataSet: Sendable {
        public var spec: DatasetSpec
        /// The files' fingerprint, nil for generated data.
        public var fingerprint: String?
        /// `DatasetSplits.summary`: sizes, shape, classes.
        public var summary: String
        /// What `input_scale` does to it.
        public var scaling: String
        /// The files read (absolute paths).
        public var sources: [String]
        /// Per class, the examples of each split (classification), in class order; nil for regression.
        public var classCounts: (train: [Int], validation: [Int]?, test: [Int])?
        /// Class names when the files give them.
        public var classNames: [String]?
        /// Things to know before running: a validation split that misses a class of the training split.
        public var warnings: [String]
        /// The ordinals of the trials that read it.
        public var trials: [Int]
        /// The shape a model of it has, and the bytes it holds loaded (for ``MemoryEstimate``).
        public var shape: InputShape
        public var bytes: Double
    }

    public var dataSets: [DataSet]
    /// The trials, each with its data's fingerprint and the id it gives.
    public var trials: [TrialSpec]

    /// The data sets read from files, as the database records them.
    public var versions: [DataVersion] {
        dataSets.compactMap { set in
            set.fingerprint.map {
                DataVersion(
                    fingerprint: $0, summary: set.summary, sources: DataVersion.describe(sources: set.sources),
                    classNames: set.classNames)
            }
        }
    }

    /// `<database stem>.data-cache/`: the decoded datasets and file fingerprints every sweep of a database shares.
    public static func cacheDirectory(database: URL) -> URL {
        URL(fileURLWithPath: database.deletingPathExtension().path + ".data-cache", isDirectory: true)
    }

    /// Reads and checks the data of `trials`, with the decoded-data and fingerprint caches in `cacheDirectory` when
    /// given (`<db stem>.data-cache/`).
    public static func check(
        _ trials: [TrialSpec], cacheDirectory: URL?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SweepDataError) -> SweepData {
        let decoded = cacheDirectory.map(DecodedDataCache.init(directory:))
        let fingerprints = cacheDirectory.map(FingerprintCache.init(directory:))
        // Each trial's data set, by index into `dataSets` (trials that read the same spec share one).
        var specs: [DatasetSpec] = []
        var members: [[Int]] = []
        var setOf: [Int] = []
        var index: [DatasetSpec: Int] = [:]
        for trial in trials {
            let spec: DatasetSpec
            do { spec = try TrainingConfig(parameters: trial.parameters).dataset } catch {
                throw SweepDataError(trials: [trial.ordinal], spec: nil, message: error.description)
            }
            if index[spec] == nil {
                index[spec] = specs.count
                specs.append(spec)
                members.append([])
            }
            setOf.append(index[spec]!)
            members[setOf.last!].append(trial.ordinal)
        }
        var dataSets: [DataSet] = []
        for (spec, ordinals) in zip(specs, members) {
            do {
                let splits = try DatasetLoader.load(spec, environment: environment, cache: decoded)
                let fingerprint = try splits.fingerprint(cache: fingerprints)
                dataSets.append(describe(splits, spec: spec, fingerprint: fingerprint, trials: ordinals))
            } catch {
                throw SweepDataError(trials: ordinals, spec: spec, message: error.description)
            }
        }
        var checked: [TrialSpec] = []
        var byID: [String: TrialSpec] = [:]
        for (trial, i) in zip(trials, setOf) {
            var trial = trial
            trial.assignData(dataSets[i].fingerprint)
            trial.dataWarnings = dataSets[i].warnings
            // Two grid points that differ only in where their (identical) data lives are one trial.
            if let other = byID[trial.id] {
                throw SweepDataError(
                    trials: [other.ordinal, trial.ordinal], spec: specs[i],
                    message: "trials #\(other.ordinal) and #\(trial.ordinal) are the same trial: their parameters are "
                        + "equal and their data files have the same contents; keep one")
            }
            byID[trial.id] = trial
            checked.append(trial)
        }
        return SweepData(dataSets: dataSets, trials: checked)
    }

    /// What `plan` and `run` print about the data, one block per data set:
    ///
    ///     data: japanese-vowels (ts) 270 train, 370 test, 29 steps × 12 features, 9 classes
    ///       files: /data/JapaneseVowels_TRAIN.ts, …_TEST.ts (fingerprint 3f2a9c1d0b7e)
    ///       scaling: values as stored (input_scale: auto)
    ///       trials: #1–#12
    ///
    /// With `verbose`, also the examples of each class in each split. Warnings are separate (``DataSet/warnings``).
    public func lines(verbose: Bool) -> [String] {
        // Data sets that read the same files the same way (they differ only in how a trial pads them) show once.
        var blocks: [(text: [String], trials: [Int])] = []
        for set in dataSets {
            var text = ["data: \(set.summary)"]
            if !set.sources.isEmpty {
                let fingerprint = set.fingerprint.map { " (fingerprint \(DataFingerprint.short($0)))" } ?? ""
                text.append(
                    "  files: " + DataVersion.describe(sources: set.sources).joined(separator: ", ") + fingerprint)
            }
            text.append("  scaling: \(set.scaling)")
            if verbose, let counts = set.classCounts { text += Self.classTable(counts, names: set.classNames) }
            if let index = blocks.firstIndex(where: { $0.text == text }) {
                blocks[index].trials = (blocks[index].trials + set.trials).sorted()
            } else {
                blocks.append((text, set.trials))
            }
        }
        return blocks.flatMap { block in
            var lines = block.text
            if blocks.count > 1 { lines.insert("  trials: " + Self.ranges(block.trials), at: lines.count) }
            return lines
        }
    }

    /// Every data set's warnings, each once.
    public var warnings: [String] {
        var seen: [String] = []
        for warning in dataSets.flatMap(\.warnings) where !seen.contains(warning) { seen.append(warning) }
        return seen
    }

    /// `#1–#4, #9`: ordinals as runs.
    static func ranges(_ ordinals: [Int]) -> String {
        var parts: [String] = []
        var start = ordinals.first
        var previous = ordinals.first
        for ordinal in ordinals.dropFirst() + [Int.min] {
            if let p = previous, ordinal == p + 1 {
                previous = ordinal
                continue
            }
            if let s = start, let p = previous { parts.append(s == p ? "#\(s)" : "#\(s)–#\(p)") }
            start = ordinal
            previous = ordinal
        }
        return parts.joined(separator: ", ")
    }

    /// The examples of each class in each split, one line per class, aligned.
    private static func classTable(_ counts: (train: [Int], validation: [Int]?, test: [Int]), names: [String]?)
        -> [String]
    {
        let labels = counts.train.indices.map { index in
            names.flatMap { index < $0.count ? $0[index] : nil } ?? "\(index)"
        }
        let width = max(5, labels.map(\.count).max() ?? 0)
        func cell(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: max(0, width - text.count)) + text
        }
        var header = "  " + "class".padding(toLength: width, withPad: " ", startingAt: 0) + cell("train", 8)
        if counts.validation != nil { header += cell("validation", 12) }
        header += cell("test", 8)
        var lines = [header]
        for (index, label) in labels.enumerated() {
            var line =
                "  " + label.padding(toLength: width, withPad: " ", startingAt: 0)
                + cell(String(counts.train[index]), 8)
            if let validation = counts.validation { line += cell(String(validation[index]), 12) }
            line += cell(String(counts.test[index]), 8)
            lines.append(line)
        }
        return lines
    }

    private static func describe(_ splits: DatasetSplits, spec: DatasetSpec, fingerprint: String?, trials: [Int])
        -> DataSet
    {
        var counts: (train: [Int], validation: [Int]?, test: [Int])?
        var warnings: [String] = []
        if splits.task == .classification {
            func count(_ set: SequenceSet) -> [Int] {
                var c = [Int](repeating: 0, count: splits.classes)
                for label in set.labels where Int(label) < c.count { c[Int(label)] += 1 }
                return c
            }
            let train = count(splits.train)
            let validation = splits.validation.map(count)
            counts = (train, validation, count(splits.test))
            if let validation {
                // A class the hold-out took entirely: the model never sees it.
                let taken = (0..<splits.classes).filter { train[$0] == 0 && validation[$0] > 0 }
                if !taken.isEmpty {
                    let names = taken.map { splits.classNames?[$0] ?? String($0) }
                    warnings.append(
                        "the training split has no example of class\(taken.count == 1 ? "" : "es") "
                            + names.joined(separator: ", ") + ": validation_split took all of them"
                            + (spec.validation == .last
                                ? " (validation: last holds out the file's end) — use validation: stratified"
                                : ""))
                }
                let missing = (0..<splits.classes).filter { train[$0] > 0 && validation[$0] == 0 }
                if !missing.isEmpty {
                    let names = missing.map { splits.classNames?[$0] ?? String($0) }
                    warnings.append(
                        "the validation split has no example of class\(missing.count == 1 ? "" : "es") "
                            + names.joined(separator: ", ") + " (of \(splits.classes))"
                            + (spec.validation == .last
                                ? "; validation: last holds out the file's end — use validation: stratified"
                                : ""))
                }
            }
        }
        return DataSet(
            spec: spec, fingerprint: fingerprint, summary: splits.summary,
            scaling: DatasetLoader.scalingDescription(splits, spec: spec), sources: splits.sources,
            classCounts: counts, classNames: splits.classNames, warnings: warnings, trials: trials,
            shape: splits.inputShape, bytes: splits.bytes)
    }
}

/// Why a sweep's data could not be read or checked: which trials read it, and the loader's message (file, array,
/// index).
public struct SweepDataError: Error, CustomStringConvertible, Sendable {
    public var trials: [Int]
    public var spec: DatasetSpec?
    public var message: String

    public var description: String {
        let which =
            trials.count == 1 ? "trial #\(trials[0])" : "trials #\(trials.first!)–#\(trials.last!) (\(trials.count))"
        let data = spec.map { " (dataset \($0.name)\($0.dataDir.map { ", data_dir \($0)" } ?? ""))" } ?? ""
        return "data of \(which)\(data): \(message)"
    }
}
