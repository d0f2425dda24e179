import Foundation
import RNNEngine

/// Where a training run ran and what ran it: everything that can change its result bits, plus the host.
///
/// The same seed gives bit-identical results only with the same kernels, backend, build and thread count: oneDNN and
/// the C kernels pick AVX-512 or AVX2 code at load time, so two CPU kinds give different last digits. A worker sends
/// this in its `started` event; the sweep's database keeps it per trial.
///
/// Wire format (inside the `started` event's `provenance` object): `rnnsweep_version`, `rnnsweep_commit` (absent
/// when unknown), `rnnsweep_dirty`, `host`, `cpu_model` (absent when unknown), `kernels`, `backend`, `threads`.
public struct Provenance: Sendable, Hashable {
    public var build: BuildIdentity
    /// The host name (`gethostname`).
    public var host: String
    /// The CPU's model name from `/proc/cpuinfo`, nil where there is none.
    public var cpuModel: String?
    /// The instruction set the C kernels run with: `AVX-512`, `AVX2` or `baseline`.
    public var kernels: String
    /// The matrix backend and its version, e.g. `oneDNN 2.6.3`.
    public var backend: String
    /// Compute threads of the run.
    public var threads: Int

    public init(
        build: BuildIdentity, host: String, cpuModel: String?, kernels: String, backend: String, threads: Int
    ) {
        self.build = build
        self.host = host
        self.cpuModel = cpuModel
        self.kernels = kernels
        self.backend = backend
        self.threads = threads
    }

    /// This process on this machine, running `build` with `threads` compute threads.
    public static func current(build: BuildIdentity, threads: Int) -> Provenance {
        Provenance(
            build: build, host: hostName(), cpuModel: processCPUModel, kernels: EngineBenchmark.kernelInstructionSet,
            backend: GEMM.backendDescription, threads: threads)
    }

    /// The CPU's model name, read once per process: a persistent worker reports it with every trial, and parsing
    /// `/proc/cpuinfo` again each time cost a small trial more than its model's build.
    private static let processCPUModel = cpuModel()

    /// `Intel(R) Xeon(R) Platinum 8480+ (AVX-512 kernels)`: what decides the bits on the hardware side.
    public var cpuKind: String { "\(cpuModel ?? "unknown CPU") (\(kernels) kernels)" }

    /// `rnnsweep 0.6.0 (commit 1a2b3c4), oneDNN 2.6.3`: what decides the bits on the software side.
    public var software: String { "\(build), \(backend)" }

    /// `1 thread`, `4 threads`.
    public var threadText: String { threads == 1 ? "1 thread" : "\(threads) threads" }

    /// True when a run here gives the same bits as a run with `other`'s provenance: everything but the host agrees.
    public func givesSameBits(as other: Provenance) -> Bool {
        var other = other
        other.host = host
        return other == self
    }

    /// The CPU's model name: the first `model name` line of `/proc/cpuinfo`, spaces collapsed.
    static func cpuModel(cpuinfo: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        -> String?
    {
        guard let cpuinfo else { return nil }
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "model name" else { continue }
            let name = parts[1].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            return name.isEmpty ? nil : name
        }
        return nil
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension Provenance: Codable {
    enum CodingKeys: String, CodingKey {
        case host, kernels, backend, threads
        case cpuModel = "cpu_model"
    }

    // Flat: the build's keys sit beside the machine's, as the database's columns do.
    public init(from decoder: any Decoder) throws {
        build = try BuildIdentity(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decode(String.self, forKey: .host)
        cpuModel = try container.decodeIfPresent(String.self, forKey: .cpuModel)
        kernels = try container.decode(String.self, forKey: .kernels)
        backend = try container.decode(String.self, forKey: .backend)
        threads = try container.decode(Int.self, forKey: .threads)
    }

    public func encode(to encoder: any Encoder) throws {
        try build.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(host, forKey: .host)
        try container.encodeIfPresent(cpuModel, forKey: .cpuModel)
        try container.encode(kernels, forKey: .kernels)
        try container.encode(backend, forKey: .backend)
        try container.encode(threads, forKey: .threads)
    }
}
