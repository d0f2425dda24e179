import Foundation
import RNNData
import Testing

@testable import RNNTraining

@Suite("Provenance and the started event")
struct ProvenanceTests {
    static let build = BuildIdentity(version: "0.6.0", commit: "1a2b3c4", dirty: true)

    @Test func buildIdentityReadsLikeVersionOutput() {
        #expect(Self.build.description == "rnnsweep 0.6.0 (commit 1a2b3c4, dirty)")
        #expect(
            BuildIdentity(version: "0.6.0", commit: "1a2b3c4", dirty: false).description
                == "rnnsweep 0.6.0 (commit 1a2b3c4)")
        let tarball = BuildIdentity(version: "0.6.0", commit: nil, dirty: true)
        #expect(tarball.description == "rnnsweep 0.6.0 (commit unknown)" && !tarball.dirty)
    }

    /// A line as rnnsweep before 0.6.0 wrote it: no `provenance` key.
    @Test func startedEventsWithoutProvenanceStillDecode() throws {
        let line =
            #"{"batches_per_epoch":10,"dataset":"sum-sign: 300 train","epochs":2,"event":"started","#
            + #""history":[],"parameters":97,"resumed_from_epoch":0,"train_samples":300}"#
        guard case .started(let started) = try TrainingEvent(jsonLine: line) else {
            Issue.record("not a started event")
            return
        }
        #expect(started.provenance == nil && started.epochs == 2 && started.trainSamples == 300)
    }

    @Test func startedEventsCarryProvenanceFlat() throws {
        let provenance = Provenance(
            build: Self.build, host: "node-7", cpuModel: "AMD EPYC 7763 64-Core Processor", kernels: "AVX2",
            backend: "oneDNN 3.5.3", threads: 2)
        let event = TrainingEvent.started(
            .init(
                resumedFromEpoch: 3, epochs: 8, trainSamples: 300, batchesPerEpoch: 10, parameters: 97,
                dataset: "d", provenance: provenance))
        let line = event.jsonLine
        #expect(
            line.contains(
                #""provenance":{"backend":"oneDNN 3.5.3","cpu_model":"AMD EPYC 7763 64-Core Processor","#
                    + #""host":"node-7","kernels":"AVX2","rnnsweep_commit":"1a2b3c4","rnnsweep_dirty":true,"#
                    + #""rnnsweep_version":"0.6.0","threads":2}"#), "\(line)")
        #expect(try TrainingEvent(jsonLine: line) == event)
        // Unknown commit and CPU model are left out, and read back as nil.
        var unknown = provenance
        unknown.build = BuildIdentity(version: "0.6.0", commit: nil, dirty: false)
        unknown.cpuModel = nil
        let data = try JSONEncoder().encode(unknown)
        #expect(!String(decoding: data, as: UTF8.self).contains("rnnsweep_commit"))
        #expect(!String(decoding: data, as: UTF8.self).contains("cpu_model"))
        #expect(try JSONDecoder().decode(Provenance.self, from: data) == unknown)
    }

    @Test func cpuModelComesFromTheFirstModelNameLine() {
        let cpuinfo = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R)   Platinum 8480+
            flags\t\t: fpu avx2 avx512f

            processor\t: 1
            model name\t: something else
            """
        #expect(Provenance.cpuModel(cpuinfo: cpuinfo) == "Intel(R) Xeon(R) Platinum 8480+")
        #expect(Provenance.cpuModel(cpuinfo: "processor\t: 0\nfeatures\t: fp asimd\n") == nil)
        #expect(Provenance.cpuModel(cpuinfo: nil) == nil)
    }

    @Test func thisMachine() throws {
        let here = Provenance.current(build: Self.build, threads: 3)
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, 255)
        #expect(here.host == String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        #expect(here.cpuModel == Provenance.cpuModel(cpuinfo: cpuinfo))
        if cpuinfo != nil { #expect(here.cpuModel?.isEmpty == false) }
        // This process runs Swift built for Haswell, so the kernels are at least AVX2.
        #expect(["AVX-512", "AVX2"].contains(here.kernels))
        #expect(here.backend.hasPrefix("oneDNN ") && here.threads == 3 && here.build == Self.build)
    }

    @Test func onlyTheHostMayDifferForTheSameBits() {
        let a = Provenance(
            build: Self.build, host: "a", cpuModel: "X", kernels: "AVX2", backend: "oneDNN 3.5.3", threads: 1)
        var b = a
        b.host = "b"
        #expect(a.givesSameBits(as: b))
        let changes: [(inout Provenance) -> Void] = [
            { $0.cpuModel = "Y" }, { $0.kernels = "AVX-512" }, { $0.backend = "oneDNN 3.6.0" }, { $0.threads = 2 },
            { $0.build.commit = "0000000" }, { $0.build.dirty = false }, { $0.build.version = "0.6.1" },
        ]
        for change in changes {
            var other = b
            change(&other)
            #expect(!a.givesSameBits(as: other), "\(other)")
        }
    }

    @Test func theTrainerReportsItsProvenanceWhenGivenABuild() throws {
        let config = try TrainingConfig(overrides: [
            "dataset": .string("sum-sign"), "samples": .int(100), "sequence_length": .int(5), "units": .int(4),
            "batch_size": .int(50), "epochs": .int(1),
        ])
        let data = try DatasetLoader.load(config.dataset)
        var started: [TrainingEvent.Started] = []
        let collect = { (event: TrainingEvent) in if case .started(let s) = event { started.append(s) } }
        _ = try Trainer(config: config, data: data, threads: 1, build: Self.build).run(onEvent: collect)
        _ = try Trainer(config: config, data: data, threads: 1).run(onEvent: collect)
        #expect(started.count == 2)
        #expect(started[0].provenance == Provenance.current(build: Self.build, threads: 1))
        #expect(started[1].provenance == nil)
    }
}
