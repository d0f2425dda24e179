// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for rnnsweep's decoders; outside the main package so `swift build`/`swift test` never see them.
// Build and run one with `Scripts/fuzz.sh TARGET SECONDS` (it passes -sanitize=fuzzer,address, -parse-as-library and
// -enable-testing to every Swift module). Each target is one file defining LLVMFuzzerTestOneInput and its entry
// point, which hands over to libFuzzer's driver (CFuzzerDriver).
let package = Package(
    name: "rnnsweep-fuzz",
    dependencies: [.package(name: "rnnsweep", path: "..")],
    targets: [
        // Hands each target's entry point to libFuzzer's driver (see its header).
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "FuzzSafeTensors",
            dependencies: [
                "CFuzzerDriver", .product(name: "RNNTraining", package: "rnnsweep"),
                .product(name: "RNNData", package: "rnnsweep"),
            ]),
        .executableTarget(
            name: "FuzzNPY", dependencies: ["CFuzzerDriver", .product(name: "RNNData", package: "rnnsweep")]),
        .executableTarget(
            name: "FuzzIDX", dependencies: ["CFuzzerDriver", .product(name: "RNNData", package: "rnnsweep")]),
        .executableTarget(
            name: "FuzzDataCache", dependencies: ["CFuzzerDriver", .product(name: "RNNData", package: "rnnsweep")]),
        .executableTarget(
            name: "FuzzExperiment", dependencies: ["CFuzzerDriver", .product(name: "RNNSweep", package: "rnnsweep")]),
        .executableTarget(
            name: "FuzzText", dependencies: ["CFuzzerDriver", .product(name: "RNNData", package: "rnnsweep")]),
        .executableTarget(
            name: "FuzzTS", dependencies: ["CFuzzerDriver", .product(name: "RNNData", package: "rnnsweep")]),
    ]
)
