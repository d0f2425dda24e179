// swift-tools-version:6.1
import PackageDescription

// Hot elementwise kernels need AVX2 to vectorize well (see ARCHITECTURE.md, "The engine").
let numericFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]

let package = Package(
    name: "rnnsweep",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rnnsweep", targets: ["rnnsweep"]),
        .library(name: "RNNEngine", targets: ["RNNEngine"]),
        // RNNData and RNNTraining as products for the fuzz targets in Fuzz/, which depend on this package by path.
        .library(name: "RNNData", targets: ["RNNData"]),
        .library(name: "RNNTraining", targets: ["RNNTraining"]),
        .library(name: "RNNSweep", targets: ["RNNSweep"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // Heap: the halving schedulers' queue of runnable trials (a scan of every trial per start grew with N²).
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        // oneDNN (Debian libdnnl-dev): every matrix product goes through dnnl_sgemm.
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL", providers: [.apt(["libdnnl-dev"])]),
        // zlib: in-process gunzip of IDX files.
        .systemLibrary(name: "SystemZlib", path: "Sources/SystemZlib", providers: [.apt(["zlib1g-dev"])]),
        // prctl(PR_SET_PDEATHSIG) for workers: they die with a killed coordinator.
        .systemLibrary(name: "CProcessControl", path: "Sources/CProcessControl"),
        // Child processes started by one posix_spawn (Foundation's Process can crash as it starts one on Linux).
        .target(name: "Spawn", dependencies: ["CProcessControl"]),
        // C kernels of the cells (tanh/σ, LSTM and GRU backward steps, transpose) built for AVX-512 and for the AVX2 baseline, chosen
        // at load time. -ffp-contract=off keeps both bit-identical (no fused multiply-add); -O3 because a debug
        // build's scalar loops slow the tests.
        .target(
            name: "CKernels",
            cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]),
        // The platform shim and the seeded generators, shared by the engine, the data layer and the CLI.
        .target(name: "RNNCore", swiftSettings: numericFlags),
        .target(name: "RNNEngine", dependencies: ["RNNCore", "CDNNL", "CKernels"], swiftSettings: numericFlags),
        .target(
            name: "RNNData",
            dependencies: [
                "RNNCore", "SystemZlib", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                // SHA-256 for data fingerprints (a trial's identity holds its data's contents, not its path).
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(name: "RNNTraining", dependencies: ["RNNCore", "RNNEngine", "RNNData"], swiftSettings: numericFlags),
        .target(
            name: "RNNSweep",
            dependencies: [
                "RNNTraining", "CProcessControl", "Spawn",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]),
        .executableTarget(
            name: "rnnsweep",
            dependencies: [
                "RNNCore", "RNNEngine", "RNNTraining", "RNNSweep", "CProcessControl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["GitCommitStampPlugin"]),
        // `rnnsweep --version` and trial provenance name the git commit of the build: a build tool plugin runs
        // `GitCommitStamp` when HEAD, the index or a source file changes, and generates `GitCommit.swift`.
        .executableTarget(name: "GitCommitStamp", dependencies: ["Spawn"]),
        .plugin(name: "GitCommitStampPlugin", capability: .buildTool(), dependencies: ["GitCommitStamp"]),
        .testTarget(name: "RNNEngineTests", dependencies: ["RNNEngine", "CKernels"], swiftSettings: numericFlags),
        // Test support shared by test targets: NPZWriter writes the .npz files tests build for themselves.
        .target(
            name: "RNNTestSupport", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Tests/Support"),
        .testTarget(
            name: "RNNDataTests", dependencies: ["RNNData", "RNNCore", "RNNTestSupport"], resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "RNNTrainingTests", dependencies: ["RNNTraining"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "RNNSweepTests", dependencies: ["RNNSweep", "RNNTraining", "Spawn"], resources: [.copy("Fixtures")]),
        // GRDB: the end-to-end tests edit databases the binary wrote (another machine's provenance, by hand).
        .testTarget(
            name: "RNNCLITests",
            dependencies: ["RNNSweep", "RNNTestSupport", "Spawn", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "SpawnTests", dependencies: ["Spawn"]),
    ]
)
