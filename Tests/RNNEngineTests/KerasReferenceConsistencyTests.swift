import Foundation
import Testing

/// Checks that the generated Keras reference values are internally consistent, so a broken
/// regeneration fails here before any engine test compares against it.
@Suite struct KerasReferenceConsistencyTests {
    /// Flat element count of a Keras shape.
    private func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    @Test(arguments: KerasReference.all.map(\.name))
    func sizesMatchShapes(name: String) throws {
        let c = try #require(KerasReference.all.first { $0.name == name })
        #expect(c.x.count == c.B * c.T * c.D)
        #expect(c.labels.count == c.B)
        #expect(c.probabilities.count == c.B * c.C)
        #expect(c.inputGradient.count == c.x.count)
        #expect(c.weights.map(\.name) == c.weightGradients.map(\.name))
        #expect(c.weights.map(\.shape) == c.weightGradients.map(\.shape))
        for tensor in c.weights + c.weightGradients {
            #expect(tensor.values.count == count(tensor.shape), "\(tensor.name)")
        }
    }

    @Test(arguments: KerasReference.all.map(\.name))
    func lossIsMeanCrossEntropyOfProbabilities(name: String) throws {
        let c = try #require(KerasReference.all.first { $0.name == name })
        var total = 0.0
        for b in 0..<c.B {
            let row = c.probabilities[(b * c.C)..<((b + 1) * c.C)]
            #expect(abs(row.reduce(0, +) - 1) < 1e-12)
            total -= log(row[row.startIndex + c.labels[b]])
        }
        #expect(abs(total / Double(c.B) - c.loss) < 1e-12)
    }

    // The Swift side may rebuild inputs and weights from the documented formulas instead of the literals.
    @Test(arguments: KerasReference.all.map(\.name))
    func inputsAndWeightsFollowTheFormulas(name: String) throws {
        let c = try #require(KerasReference.all.first { $0.name == name })
        for (j, value) in c.x.enumerated() {
            let expected = Float(cos(0.23 * Double(j) + 0.5))
            #expect(abs(value - expected) <= expected.ulp, "x[\(j)]")
        }
        let flat = c.weights.flatMap(\.values)
        for (k, value) in flat.enumerated() {
            let expected = Float(0.5 * sin(0.37 * Double(k) + 1.0))
            #expect(abs(Float(value) - expected) <= expected.ulp, "weight element \(k)")
            #expect(Double(Float(value)) == value, "weight element \(k) is not an exact Float")
        }
    }

    @Test(arguments: KerasOptimizerReference.all.map(\.name))
    func optimizerStepsHaveOneRowPerGradient(name: String) throws {
        let c = try #require(KerasOptimizerReference.all.first { $0.name == name })
        #expect(c.expected.count == c.gradients.count)
        for row in c.expected + c.gradients {
            #expect(row.count == c.initial.count)
        }
    }

    // Plain SGD needs no state, so its first step pins down the sign and learning-rate convention.
    @Test func plainSGDFirstStepIsWeightMinusLearningRateTimesGradient() {
        let c = KerasOptimizerReference.sgdDefaults
        for i in c.initial.indices {
            #expect(abs(c.expected[0][i] - (c.initial[i] - c.learningRate * c.gradients[0][i])) < 1e-15)
        }
    }
}
