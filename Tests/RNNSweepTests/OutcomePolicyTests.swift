import Foundation
import RNNTraining
import Testing

@testable import RNNSweep

/// How an attempt ended, judged from typed facts in a fixed order of precedence.
@Suite struct OutcomePolicyTests {
    static let spec = try! TrialSpec(
        ordinal: 1, parameters: TrainingParameters.resolve(["units": .int(8), "epochs": .int(4)]), gridPoint: 1)

    func attempt(_ change: (LaunchedTrial) -> Void = { _ in }) -> LaunchedTrial {
        let trial = LaunchedTrial(id: 1, trial: Self.spec, attempt: 1, location: "worker 1", lane: 0)
        change(trial)
        return trial
    }

    func end(exit: Int32? = 1, signal: Int32? = nil, timeLimit: Bool = false, notSubmitted: Bool = false) -> TrialEnd {
        TrialEnd(
            exitStatus: exit, signal: signal, stderrTail: "", how: "exited with status \(exit ?? 0)",
            timeLimit: timeLimit, notSubmitted: notSubmitted)
    }

    func judge(
        _ trial: LaunchedTrial, _ end: TrialEnd, reached: Int = 2, unrecorded: Bool = false, stopping: Bool = false,
        policy: inout OutcomePolicy
    ) -> String {
        switch policy.judge(trial, end, reached: reached, unrecorded: unrecorded, stopping: stopping) {
        case .completed: "completed"
        case .paused: "paused"
        case .diverged(let message): "diverged: \(message)"
        case .failed(let message): "failed: \(message)"
        case .interrupted(let i):
            "interrupted\(i.counted ? "" : " (not counted)")\(i.machine == nil ? "" : " (stops the sweep)"): "
                + i.message
        }
    }

    @Test func typedFailureKindsDecideNotTheirText() {
        var policy = OutcomePolicy()
        let diverged = attempt { $0.failure = .init(kind: .diverged, message: "loss is NaN at epoch 2") }
        #expect(judge(diverged, end(), policy: &policy) == "diverged: loss is NaN at epoch 2")
        // The word "diverged" in another kind's message is that kind's failure.
        let data = attempt { $0.failure = .init(kind: .data, message: "diverged columns") }
        #expect(judge(data, end(), policy: &policy) == "failed: diverged columns")
        let full = attempt { $0.failure = .init(kind: .diskFull, message: "no space") }
        #expect(judge(full, end(), policy: &policy) == "interrupted (stops the sweep): no space")
        let unknown = attempt { $0.failure = .init(kind: .other("gpu_lost"), message: "lost") }
        #expect(judge(unknown, end(), policy: &policy) == "failed: lost")
    }

    @Test func precedenceLostEpochFinishedPausedStallStopSubmissionTimeLimit() {
        var policy = OutcomePolicy()
        let finished = attempt { $0.finished = true }
        #expect(judge(finished, end(exit: 0), unrecorded: true, policy: &policy).hasPrefix("interrupted: an epoch"))
        #expect(judge(finished, end(exit: 0), policy: &policy) == "completed")
        #expect(judge(attempt { $0.paused = true }, end(exit: 0), policy: &policy) == "paused")
        let stalled = attempt { $0.stalledFor = 700 }
        #expect(judge(stalled, end(signal: 9), stopping: true, policy: &policy).hasPrefix("failed: stalled"))
        #expect(judge(attempt(), end(signal: 15), stopping: true, policy: &policy).hasPrefix("interrupted: sweep"))
        #expect(judge(attempt(), end(notSubmitted: true), policy: &policy).hasPrefix("interrupted (not counted)"))
        #expect(judge(attempt(), end(), policy: &policy) == "failed: worker exited with status 1")
    }

    @Test func aTimeLimitTwiceAtTheSameEpochIsAFailure() {
        var policy = OutcomePolicy()
        let limited = end(timeLimit: true)
        #expect(judge(attempt(), limited, reached: 2, policy: &policy).hasPrefix("interrupted (not counted)"))
        #expect(judge(attempt(), limited, reached: 3, policy: &policy).hasPrefix("interrupted (not counted)"))
        #expect(judge(attempt(), limited, reached: 3, policy: &policy).hasPrefix("failed: stopped by its time limit"))
    }
}
