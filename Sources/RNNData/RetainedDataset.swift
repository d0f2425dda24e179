import Foundation

/// The last data set a long-lived worker loaded, kept decoded in memory for its next trial of the same data: a
/// small-data trial otherwise spends a good part of its time reading and decoding files it read a moment ago.
///
/// Bounded: one data set, the last one (a sweep over several data sets keeps only the one in use). Reused only when
/// it is the same read — the same ``DatasetSpec`` and the same decoded-data cache folder — and every file it came
/// from still has the size and modification time it had when it was read, the test ``DecodedDataCache`` trusts
/// its own files by; anything else reads the data again, as a fresh worker would. A text corpus (a folder of
/// documents, where a new file is new data) and data read with a fixed vocabulary are never kept.
/// ``DatasetSplits`` is a value: a trial cannot change the copy the next one gets.
public final class RetainedDataset {
    private struct Kept {
        var spec: DatasetSpec
        var cacheDirectory: URL?
        var sources: [DecodedDataCache.Header.Source]
        var data: DatasetSplits
    }

    private var kept: Kept?
    /// How many loads were answered from memory (for tests).
    public private(set) var reuses = 0

    public init() {}

    /// The data `spec` names: the kept copy when it is still the same read, else read (as ``DatasetLoader/load``
    /// with `environment` and a cache in `cacheDirectory`) and kept in place of the last one.
    public func load(_ spec: DatasetSpec, environment: [String: String], cacheDirectory: URL?) throws(DataError)
        -> DatasetSplits
    {
        if let kept, kept.spec == spec, kept.cacheDirectory == cacheDirectory,
            kept.sources == kept.data.sources.compactMap(DecodedDataCache.fingerprint)
        {
            reuses += 1
            return kept.data
        }
        kept = nil
        let data = try DatasetLoader.load(
            spec, environment: environment, cache: cacheDirectory.map(DecodedDataCache.init(directory:)))
        let sources = data.sources.compactMap(DecodedDataCache.fingerprint)
        if data.dataRoot == nil, sources.count == data.sources.count {
            kept = Kept(spec: spec, cacheDirectory: cacheDirectory, sources: sources, data: data)
        }
        return data
    }
}
