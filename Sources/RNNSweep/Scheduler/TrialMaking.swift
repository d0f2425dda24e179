import Foundation
import RNNTraining

/// The ``TrialMaker`` of a sweep run from an experiment file: a proposed configuration's trials are expanded as the
/// file's are (``GridExpander/trials(of:in:after:)``), then their data is checked and fingerprinted as the run's
/// was, so their ids are the same kind as every other trial's.
enum TrialMaking {
    static func maker(experiment: Experiment, dataCache: URL?) -> TrialMaker {
        { sample, after in
            let trials = try GridExpander.trials(of: sample, in: experiment, after: after)
            return try SweepData.check(trials, cacheDirectory: dataCache).trials
        }
    }
}
