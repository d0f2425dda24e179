import Foundation
import GRDB
import RNNTraining

@testable import RNNSweep

/// Provenance values for store and report tests: two CPU kinds, one build, one thread, hosts by name.
enum TestMachine {
    static let build = BuildIdentity(version: "0.6.0", commit: "1a2b3c4", dirty: false)

    static func xeon(host: String = "xeon-1", threads: Int = 1, build: BuildIdentity = build) -> Provenance {
        Provenance(
            build: build, host: host, cpuModel: "Intel(R) Xeon(R) Platinum 8480+", kernels: "AVX-512",
            backend: "oneDNN 3.5.3", threads: threads)
    }

    static func epyc(host: String = "epyc-1") -> Provenance {
        Provenance(
            build: build, host: host, cpuModel: "AMD EPYC 7763 64-Core Processor", kernels: "AVX2",
            backend: "oneDNN 3.5.3", threads: 1)
    }
}

extension MetricsStore {
    /// Writes a trial's provenance columns as a worker's fresh start would, in any status (for report fixtures
    /// whose trials are already completed); nil clears them, as in a row of an older rnnsweep.
    func setProvenance(sweep: SweepID, trial: String, _ p: Provenance?) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE trials SET rnnsweep_version = ?, rnnsweep_commit = ?, rnnsweep_dirty = ?, host = ?,
                        cpu_model = ?, kernels = ?, backend = ?, threads = ? WHERE sweep_id = ? AND id = ?
                    """,
                arguments: [
                    p?.build.version, p?.build.commit, p.map { $0.build.dirty ? 1 : 0 }, p?.host, p?.cpuModel,
                    p?.kernels, p?.backend, p?.threads, sweep.rawValue, trial,
                ])
        }
    }
}
