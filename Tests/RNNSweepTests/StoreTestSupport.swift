import Foundation
import GRDB

@testable import RNNSweep

/// A fresh temporary directory, removed when the value is released.
final class StoreTemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rnnsweep-store-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

/// Builds a flat params JSON object with sorted keys (what the experiment side hands over).
func storeParamsJSON(_ params: [String: Any]) -> String {
    let data = try! JSONSerialization.data(withJSONObject: params, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// A 16-hex id derived from a string (stable within a test run).
func storeHexID(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01b3
    }
    return String(format: "%016llx", hash)
}

extension MetricsStore {
    /// Registers a one-trial sweep for store tests.
    func makeSweep(name: String = "s", trials: Int = 1) throws -> SweepID {
        let sweep = try registerSweep(
            name: name, description: nil, experimentPath: "e.yaml", experimentJSON: "{}", varyingKeys: ["units"])
        try registerTrials(
            sweep: sweep,
            trials: (0..<trials).map { index in
                NewTrial(
                    id: storeHexID("t\(index)"), ordinal: index, gridPoint: index, seed: 1,
                    paramsJSON: storeParamsJSON(["units": 32 * (index + 1)]))
            })
        return sweep
    }
}
