/// Times training and inference steps of a model on synthetic data, and `dnnl_sgemm` alone on the layer's recurrent
/// GEMM shape, so the two rates can be compared in the same run (`rnnsweep bench`).
public enum EngineBenchmark {
    public struct Result: Sendable, Codable {
        public var cell: String
        public var units: Int
        public var batchSize: Int
        public var threads: Int
        public var trainSamplesPerSecond: Double
        public var trainMillisecondsPerBatch: Double
        public var evalSamplesPerSecond: Double
        public var evalMillisecondsPerBatch: Double
        /// Model FLOPs per training sample = 3 × the forward pass's matmul FLOPs (recurrent layers only).
        public var trainModelGFLOPS: Double
        /// dnnl_sgemm alone on [B, H] × [H, G·H], the per-timestep recurrent product, timed in blocks that alternate
        /// with the training batches.
        public var sgemmGFLOPS: Double

        enum CodingKeys: String, CodingKey {
            case cell, units, threads
            case batchSize = "batch_size"
            case trainSamplesPerSecond = "train_samples_per_second"
            case trainMillisecondsPerBatch = "train_ms_per_batch"
            case evalSamplesPerSecond = "eval_samples_per_second"
            case evalMillisecondsPerBatch = "eval_ms_per_batch"
            case trainModelGFLOPS = "train_model_gflops"
            case sgemmGFLOPS = "sgemm_gflops"
        }
    }

    /// What the engine runs on here, e.g. "oneDNN 2.6.3, AVX-512 activations", for benchmark reports.
    public static var engineDescription: String {
        "\(GEMM.backendDescription), \(Elementwise.activationInstructionSet) activations"
    }

    /// Forward matmul FLOPs per sample of the recurrent layers: T × 2·G·H·(D + H) per layer and direction.
    public static func forwardFLOPs(_ c: ModelConfig) -> Double {
        let g = Double(c.cell.gates)
        let h = Double(c.units)
        var d = Double(c.features)
        var total = 0.0
        let directions = c.bidirectional ? 2.0 : 1.0
        for _ in 0..<c.layers {
            total += directions * Double(c.timesteps) * 2 * g * h * (d + h)
            d = c.bidirectional && c.mergeMode == .concat ? 2 * h : h
        }
        return total
    }

    public static func run(config: ModelConfig, batchSize: Int, batches: Int, warmup: Int, threads: Int)
        throws(ModelConfigError) -> Result
    {
        precondition(batches >= 1 && warmup >= 0, "EngineBenchmark.run needs batches ≥ 1 and warmup ≥ 0")
        ComputeThreads.set(threads)
        let model = try SequenceClassifier(config: config, maxBatch: batchSize, seed: 1)
        let optimizer = try OptimizerConfig(kind: .sgd).make(for: model.parameters)
        var rng = RandomSource(seed: 7)
        let x = FloatBuffer(count: config.timesteps * batchSize * config.features)
        for i in 0..<x.count { x.pointer[i] = rng.nextFloat() }
        var labels = (0..<batchSize).map { _ in Int32(rng.nextInt(below: config.classes)) }
        let clock = ContinuousClock()
        func seconds(_ repetitions: Int, _ body: () -> Void) -> Double {
            let start = clock.now
            for _ in 0..<repetitions { body() }
            let d = (clock.now - start).components
            return Double(d.seconds) + Double(d.attoseconds) * 1e-18
        }
        let g = config.cell.gates
        let h = config.units
        let a = FloatBuffer(count: batchSize * h)
        let b = FloatBuffer(count: h * g * h)
        let c = FloatBuffer(count: batchSize * g * h)
        // Values like the model's, not zeros: the reference must not run on friendlier data than the model does.
        for buffer in [a, b] {
            for i in 0..<buffer.count { buffer.pointer[i] = rng.nextFloat() - 0.5 }
        }
        let sgemm = {
            GEMM.multiply(
                m: batchSize, n: g * h, k: h, a: a.pointer, lda: h, b: b.pointer, ldb: g * h, beta: 1, c: c.pointer,
                ldc: g * h)
        }
        // Training batches and blocks of the reference sgemm alternate in up to 10 chunks, so that both rates sample
        // the same machine: on a shared VM the rate drifts by ±20 % within minutes, and timing the two one after
        // the other moved their ratio by more than any engine change.
        let gemmCallsPerBatch = 10
        let chunks = max(1, min(batches, 10))
        var trainSeconds = 0.0
        var gemmSeconds = 0.0
        labels.withUnsafeMutableBufferPointer { l in
            let step = {
                model.trainStep(x: x.pointer, labels: l.baseAddress!, batch: batchSize, rng: &rng)
                optimizer.step(model.parameters)
            }
            _ = seconds(warmup, step)
            _ = seconds(warmup * gemmCallsPerBatch, sgemm)
            for chunk in 0..<chunks {
                let count = batches * (chunk + 1) / chunks - batches * chunk / chunks
                trainSeconds += seconds(count, step)
                gemmSeconds += seconds(count * gemmCallsPerBatch, sgemm)
            }
        }
        let train = trainSeconds / Double(batches)
        let gemm = gemmSeconds / Double(batches * gemmCallsPerBatch)
        let eval = labels.withUnsafeMutableBufferPointer { l in
            let step = { _ = model.evaluate(x: x.pointer, labels: l.baseAddress!, batch: batchSize) }
            _ = seconds(warmup, step)
            return seconds(batches, step) / Double(batches)
        }
        let flopsPerSample = 3 * forwardFLOPs(config)
        return Result(
            cell: config.cell.rawValue, units: h, batchSize: batchSize, threads: threads,
            trainSamplesPerSecond: Double(batchSize) / train, trainMillisecondsPerBatch: 1000 * train,
            evalSamplesPerSecond: Double(batchSize) / eval, evalMillisecondsPerBatch: 1000 * eval,
            trainModelGFLOPS: flopsPerSample * Double(batchSize) / train / 1e9,
            sgemmGFLOPS: 2 * Double(batchSize * g * h * h) / gemm / 1e9)
    }
}
