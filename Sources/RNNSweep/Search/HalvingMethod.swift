import Foundation

/// Which halving an `early_stopping:` block runs; each ranks with the same `SuccessiveHalving` rule.
public enum HalvingMethod: String, Sendable, Hashable, CaseIterable {
    /// Rungs decided once all their configurations reached them (a barrier per rung).
    case successiveHalving = "successive_halving"
    /// Rungs decided configuration by configuration, in grid order (`HalvingState.readyAsynchronously`).
    case asyncHalving = "async_halving"
    /// Brackets of successive halving starting at different epochs (`Hyperband`).
    case hyperband

    /// The method stored in an experiment's resolved JSON (`Experiment.resolvedContent`'s
    /// `early_stopping.method`); nil without an `early_stopping:` block or with a method this build does not know.
    public static func stored(inExperimentJSON json: String) -> HalvingMethod? {
        struct Stored: Decodable {
            struct Halving: Decodable { var method: String? }
            var early_stopping: Halving?
        }
        guard let stored = try? JSONDecoder().decode(Stored.self, from: Data(json.utf8)).early_stopping else {
            return nil
        }
        return HalvingMethod(rawValue: stored.method ?? HalvingMethod.successiveHalving.rawValue)
    }
}
