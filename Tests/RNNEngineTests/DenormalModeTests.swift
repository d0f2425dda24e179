import Testing

@testable import RNNEngine

/// Flush-to-zero is scoped to the call, on the calling thread, and chosen per network kind.
@Suite("Denormal mode")
struct DenormalModeTests {
    /// A quarter of the smallest normal Float, computed at run time (a literal would be folded by the compiler).
    static func quarterOfSmallestNormal(_ values: [Float]) -> Float { values[0] / 4 }

    @Test func flushesOnlyInsideTheCall() {
        let smallest = [Float.leastNormalMagnitude]
        #expect(Self.quarterOfSmallestNormal(smallest) == Float.leastNormalMagnitude / 4)
        let inside = DenormalMode.run(flushingDenormals: true) { Self.quarterOfSmallestNormal(smallest) }
        #expect(inside == 0)
        let off = DenormalMode.run(flushingDenormals: false) { Self.quarterOfSmallestNormal(smallest) }
        #expect(off == Float.leastNormalMagnitude / 4)
        // Restored afterwards.
        #expect(Self.quarterOfSmallestNormal(smallest).isSubnormal)
    }

    @Test func chosenPerKind() {
        #expect(MLPConfig.flushesDenormals)
        // The recurrent kind keeps exact IEEE subnormals: its recorded results were produced that way.
        #expect(!RecurrentConfig.flushesDenormals)
    }
}
