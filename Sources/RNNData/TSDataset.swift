import Foundation
import RNNCore

/// A UCR/UEA time-series archive problem: `<Name>_TRAIN.ts` and `<Name>_TEST.ts` (`dataset: ts`), each parsed by
/// `TSFile` by aeon's rules.
///
/// - `data_dir`: a folder holding exactly one such pair, or the `<Name>` prefix (`…/JapaneseVowels` reads
///   `…/JapaneseVowels_TRAIN.ts` and `…/JapaneseVowels_TEST.ts`; a path to either file works too). `~` is expanded.
/// - Classification: the labels of `@classLabel true <labels…>` are the classes 0…K−1 in the header's order, and
///   their names; the TEST file must list the same labels. Regression (`@targetLabel true`): one real target each.
/// - Values `[N, T, D]`: T is the longest series of TRAIN and TEST; shorter series are padded with all-zero steps
///   on the side `spec.padding` says: after them under `mask: zeros`, which skips them, and before them otherwise
///   (as Keras's `pad_sequences`), so that an unmasked network's last output follows the real steps.
/// - `missing: zero` writes a missing value (`?`, `NaN`) as 0; `missing: none` refuses it, naming file and line.
/// - `normalize: channel` standardises each dimension with the mean and population standard deviation of the
///   TRAIN file's real values (padding and missing values left out), applied to TRAIN and TEST; a dimension that
///   does not vary is only centred. Padding and missing values stay 0. This happens here, before `DatasetLoader`
///   applies `limit` and `validation_split`, so the statistics come from the whole TRAIN file, the part that later
///   becomes the validation set included; that leaks a little of the validation set's scale into training, which
///   is accepted for a per-channel mean and deviation.
enum TSDataset {
    /// Padding may multiply the values read by at most this much (beyond a floor of `paddingFloor` values): a file
    /// with one very long series among many short ones would otherwise ask for far more memory than its size.
    static let paddingFactor = 64
    static let paddingFloor = 1 << 20

    static func load(_ spec: DatasetSpec) throws(DataError) -> LoadedData {
        let (trainPath, testPath) = try files(spec.dataDir ?? "")
        let train = try TSFile.read(trainPath, task: spec.task, missing: spec.missing)
        let test = try TSFile.read(testPath, task: spec.task, missing: spec.missing)
        try checkAgreement(train: train, test: test)
        let timesteps = max(train.longest, test.longest)
        try checkPaddedSize(train: train, test: test, timesteps: timesteps)
        let statistics = spec.normalize == .channel ? ChannelStatistics(train) : nil
        let trainSet = try sequences(train, timesteps: timesteps, padding: spec.padding, statistics: statistics)
        let testSet = try sequences(test, timesteps: timesteps, padding: spec.padding, statistics: statistics)
        let labels = spec.task == .classification ? train.header.classLabels : nil
        return LoadedData(
            train: trainSet, validation: nil, test: testSet, classes: labels?.count ?? 0,
            sources: [trainPath, testPath], classNames: labels)
    }

    /// The TRAIN and TEST paths (absolute) that `dataDir` names.
    static func files(_ dataDir: String) throws(DataError) -> (train: String, test: String) {
        let path = URL(fileURLWithPath: FileBytes.expand(dataDir)).standardizedFileURL.path
        var prefix = path
        if FileBytes.isDirectory(path) {
            prefix = path + "/" + (try pair(in: path))
        } else {
            for suffix in ["_TRAIN.ts", "_TEST.ts"] where path.hasSuffix(suffix) {
                prefix = String(path.dropLast(suffix.count))
            }
        }
        let files = (train: prefix + "_TRAIN.ts", test: prefix + "_TEST.ts")
        for file in [files.train, files.test] where !FileBytes.isFile(file) {
            throw .unreadableFile(
                path: file,
                reason: "no such file; data_dir must be a folder holding one <Name>_TRAIN.ts and <Name>_TEST.ts, or "
                    + "their <Name> prefix")
        }
        return files
    }

    /// The `<Name>` of the one `<Name>_TRAIN.ts` + `<Name>_TEST.ts` pair in `folder`.
    private static func pair(in folder: String) throws(DataError) -> String {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw .unreadableFile(path: folder, reason: error.localizedDescription)
        }
        let present = Set(names)
        let trainNames = names.filter { $0.hasSuffix("_TRAIN.ts") }.map { String($0.dropLast("_TRAIN.ts".count)) }
        let pairs = trainNames.filter { present.contains($0 + "_TEST.ts") }.sorted()
        switch pairs.count {
        case 1: return pairs[0]
        case 0:
            let unpaired = trainNames.sorted().map { "\($0)_TRAIN.ts has no \($0)_TEST.ts" }
            throw .unreadableFile(
                path: folder,
                reason: "it holds no <Name>_TRAIN.ts with its <Name>_TEST.ts"
                    + (unpaired.isEmpty ? "" : " (" + unpaired.joined(separator: "; ") + ")"))
        default:
            throw .invalidSpec(
                field: "data_dir",
                reason:
                    "is \(folder), which holds \(pairs.count) pairs of .ts files (\(pairs.joined(separator: ", "))): "
                    + "give the <Name> prefix of one, e.g. \(folder)/\(pairs[0])")
        }
    }

    /// The TEST file must be the TRAIN file's kind: the same labels in the same order, the same dimensions.
    private static func checkAgreement(train: TSFile, test: TSFile) throws(DataError) {
        if let labels = train.header.classLabels, test.header.classLabels != labels {
            let listed = (test.header.classLabels ?? []).joined(separator: " ")
            throw .badFile(
                path: test.path, line: test.header.classLabelLine,
                reason: "@classLabel lists \(listed) but \(train.path) lists \(labels.joined(separator: " ")); the two "
                    + "files must list the same labels in the same order")
        }
        guard test.dimensions == train.dimensions else {
            throw .badFile(
                path: test.path, line: test.firstSeriesLine,
                reason:
                    "the series have \(TSFile.counted(test.dimensions, "dimension")) but those of \(train.path) have "
                    + "\(train.dimensions)")
        }
    }

    /// Refuses padding that would take far more memory than the values read, before allocating it.
    private static func checkPaddedSize(train: TSFile, test: TSFile, timesteps: Int) throws(DataError) {
        let count = train.lengths.count + test.lengths.count
        let read = train.values.count + test.values.count
        let (steps, overflow) = count.multipliedReportingOverflow(by: timesteps)
        let (padded, overflow2) = steps.multipliedReportingOverflow(by: train.dimensions)
        let limit = max(read.multipliedReportingOverflow(by: paddingFactor).partialValue, paddingFloor)
        guard overflow || overflow2 || padded > limit else { return }
        let longest = train.longest >= test.longest ? train : test
        throw .badFile(
            path: longest.path, line: nil,
            reason: "padding every series to the longest (\(timesteps) steps) would take \(count) × \(timesteps) × "
                + "\(train.dimensions) values, more than \(paddingFactor) times the \(read) values in the files; cut "
                + "the longest series or split the data by length")
    }

    /// `file`'s series as a set `[N, timesteps, D]`, padded with zeros on `padding`'s side, standardised when
    /// `statistics` is given; missing values (NaN) written as 0.
    private static func sequences(
        _ file: TSFile, timesteps: Int, padding: PaddingSide, statistics: ChannelStatistics?
    ) throws(DataError) -> SequenceSet {
        let features = file.dimensions
        let stride = timesteps * features
        var out = [Float](repeating: 0, count: file.lengths.count * stride)
        var offset = 0
        for (n, length) in file.lengths.enumerated() {
            let base = n * stride + (padding == .pre ? (timesteps - length) * features : 0)
            for i in 0..<(length * features) {
                let value = file.values[offset + i]
                guard !value.isNaN else { continue }
                out[base + i] = statistics?.standardise(value, dimension: i % features) ?? value
            }
            offset += length * features
        }
        if statistics != nil, let bad = out.firstIndex(where: { !$0.isFinite }) {
            throw .badFile(
                path: file.path, line: nil,
                reason: "dimension \(bad % features + 1) of series \(bad / stride + 1) is beyond the range of a 32-bit "
                    + "float once normalised by the training statistics; use normalize: none")
        }
        let targets: SequenceSet.Targets =
            file.header.targetLabel ? .values(file.targets, width: 1) : .classes(file.classes)
        return SequenceSet(timesteps: timesteps, features: features, targets: targets, storage: .floats(out))
    }
}

/// Each dimension's mean and population standard deviation over the real values of a file (two passes in Double:
/// the values of a dimension can be large and close together, where one pass of sums of squares cancels).
private struct ChannelStatistics {
    let mean: [Double]
    /// 1 / deviation, or 1 for a dimension that does not vary (only centred then).
    let inverseDeviation: [Double]

    init(_ file: TSFile) {
        let d = file.dimensions
        var sum = [Double](repeating: 0, count: d)
        var count = [Int](repeating: 0, count: d)
        for (i, value) in file.values.enumerated() where !value.isNaN {
            sum[i % d] += Double(value)
            count[i % d] += 1
        }
        let mean = (0..<d).map { count[$0] > 0 ? sum[$0] / Double(count[$0]) : 0 }
        var squares = [Double](repeating: 0, count: d)
        for (i, value) in file.values.enumerated() where !value.isNaN {
            let centred = Double(value) - mean[i % d]
            squares[i % d] += centred * centred
        }
        self.mean = mean
        self.inverseDeviation = (0..<d).map { dimension in
            let deviation = count[dimension] > 0 ? (squares[dimension] / Double(count[dimension])).squareRoot() : 0
            return deviation > 0 ? 1 / deviation : 1
        }
    }

    func standardise(_ value: Float, dimension: Int) -> Float {
        Float((Double(value) - mean[dimension]) * inverseDeviation[dimension])
    }
}
