import Foundation
import Testing

@testable import RNNTraining

/// A failure's kind is typed in memory and the same string on the wire, so old events files still read.
@Suite struct FailureKindTests {
    @Test func everyKnownKindReadsAndWritesItsWireString() throws {
        let wire = ["diverged", "data", "configuration", "checkpoint", "disk_full", "unwritable", "internal"]
        let kinds: [TrainingEvent.Failure.Kind] = [
            .diverged, .data, .configuration, .checkpoint, .diskFull, .unwritable, .internal,
        ]
        for (string, kind) in zip(wire, kinds) {
            let event = try TrainingEvent(jsonLine: #"{"event":"error","kind":"\#(string)","message":"m"}"#)
            #expect(event == .error(.init(kind: kind, message: "m")))
            #expect(event.jsonLine.contains(#""kind":"\#(string)""#), "\(event.jsonLine)")
        }
    }

    @Test func anUnknownKindIsKeptAsWritten() throws {
        let event = try TrainingEvent(jsonLine: #"{"event":"error","kind":"gpu_lost","message":"m"}"#)
        #expect(event == .error(.init(kind: .other("gpu_lost"), message: "m")))
        #expect(event.jsonLine.contains(#""kind":"gpu_lost""#))
        #expect(TrainingError.diskFull(path: "p", reason: "r").kind == .diskFull)
    }
}
