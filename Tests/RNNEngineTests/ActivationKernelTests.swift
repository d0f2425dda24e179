import CKernels
import Foundation
import Testing

@testable import RNNEngine

/// The tanh/σ kernels run as whichever clone the CPU selects (AVX-512, AVX2 or plain x86-64). Each must give the
/// bits of the scalar definition, so that a checkpoint does not depend on the CPU that trained it, and the scalar
/// definition must be close to the true function.
@Suite("Activation kernels")
struct ActivationKernelTests {
    /// Inputs that cover the clamp (±7.905…), zero, tiny and huge values, and a length that leaves a remainder
    /// after every vector width.
    static let inputs: [Float] = {
        var values: [Float] = [0, -0.0, 1e-30, -1e-30, 7.90531110763549805, -7.90531110763549805, 8, -8, 50, -50, 1e30]
        var rng = RandomSource(seed: 5)  // fixed: a failure must reproduce
        for i in 0..<2000 { values.append(Float(i - 1000) / 100) }  // -10 … 10 in steps of 0.01
        for _ in 0..<1000 { values.append(24 * rng.nextFloat() - 12) }
        return values
    }()

    static func scalarSigmoid(_ x: Float) -> Float { 0.5 * rnn_fast_tanh(0.5 * x) + 0.5 }

    @Test func scalarTanhAndSigmoidAreWithinTwoMillionthsOfTheTrueFunctions() {
        for x in Self.inputs {
            #expect(abs(Double(rnn_fast_tanh(x)) - Foundation.tanh(Double(x))) < 2e-6, "tanh(\(x))")
            #expect(abs(Double(Self.scalarSigmoid(x)) - 1 / (1 + exp(-Double(x)))) < 2e-6, "σ(\(x))")
        }
    }

    @Test func vectorKernelsGiveTheScalarBits() {
        let x = Self.inputs
        let n = x.count
        #expect(n % 16 != 0)
        // Second operands: a shifted copy, so every element sees a different pair.
        let b = (0..<n).map { x[($0 * 7 + 3) % n] / 4 }
        let c = (0..<n).map { x[($0 * 13 + 5) % n] / 3 }
        let d = (0..<n).map { x[($0 * 17 + 1) % n] / 5 }
        /// Runs `kernel` on a copy of `start` and returns the first index where it differs from `reference`.
        func firstDifference(
            _ kernel: (UnsafeMutablePointer<Float>) -> Void, from start: [Float], reference: (Int) -> Float
        ) -> String? {
            var out = start
            out.withUnsafeMutableBufferPointer { kernel($0.baseAddress!) }
            guard let i = (0..<n).first(where: { out[$0].bitPattern != reference($0).bitPattern }) else { return nil }
            return "element \(i) (x = \(x[i])): \(out[i]) vs scalar \(reference(i))"
        }

        #expect(firstDifference({ rnn_tanh($0, x, n) }, from: b) { rnn_fast_tanh(x[$0]) } == nil)
        #expect(firstDifference({ rnn_tanh_bias($0, x, b, n) }, from: c) { rnn_fast_tanh(x[$0] + b[$0]) } == nil)
        #expect(firstDifference({ rnn_tanh_bias_inplace($0, b, n) }, from: x) { rnn_fast_tanh(x[$0] + b[$0]) } == nil)
        #expect(
            firstDifference({ rnn_sigmoid_bias_inplace($0, b, n) }, from: x) { Self.scalarSigmoid(x[$0] + b[$0]) }
                == nil)
        #expect(
            firstDifference({ rnn_sigmoid_sum_inplace($0, b, c, d, n) }, from: x) {
                Self.scalarSigmoid(x[$0] + b[$0] + c[$0] + d[$0])
            } == nil)
        #expect(
            firstDifference({ rnn_gru_candidate_inplace($0, b, c, d, n) }, from: x) {
                rnn_fast_tanh(x[$0] + b[$0] + c[$0] * d[$0])
            } == nil)
    }

    @Test func reportsTheInstructionSetItRuns() {
        #expect(["AVX-512", "AVX2"].contains(Elementwise.activationInstructionSet))
    }
}
