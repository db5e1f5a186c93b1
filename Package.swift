// swift-tools-version: 6.0
import PackageDescription

// Targets, from the bottom up:
//   KneeloadCore        value types shared by everything (the CONTRACTS frame, units, axis remap)
//   CI2C, SensorBus     the I2C seam and its Linux implementation over /dev/i2c-N
//   CGpiod, AlertOutputs  GPIO alert outputs and the acknowledge button: libgpiod 1.6/2.x shim, simulated chip
//   SensorDrivers       chip drivers, written against the I2CBus protocol only
//   SimulatedBus        register-level chip models on a virtual clock, with fault injection
//   GaitSimulator       the body model that produces consistent shank/knee motion and ground truth
//   KneeloadSimulation  the simulated rig: gait -> mounted chips -> real drivers -> samples
//   KneeloadEngine      pure streaming engine: samples in, events and totals out
//   CCRC32C             CRC-32C by the processor's instruction (SSE4.2, ARMv8 CRC), for KneeloadRecording
//   KneeloadRecording   replay CSV (CONTRACTS §2) and the binary recording format (docs/recording-format.md)
//   KneeloadSystemd     sd_notify/watchdog protocol and a journald-aware swift-log handler (no libsystemd)
//   KneeloadTestSupport test helpers shared by test targets (a NOTIFY_SOCKET listener, captured log lines)
//   KneeloadState       the daemon's checkpoint file: atomic saves, corrupt files set aside
//   KneeloadStatus      the daemon's local status socket: status model, line-JSON protocol, NIO server
//   KneeloadPlot        `kneeload replay --plot`: the run as an SVG (knee angle, load rate, session load, events)
//   kneeload            the command-line tool
//   kneeload-kernel-check  checks run inside the QEMU guest of Tests/kernel/run.sh (real kernel, i2c-stub, gpio-sim)
let package = Package(
    name: "kneeload",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kneeload", targets: ["kneeload"]),
        .executable(name: "kneeloadd", targets: ["kneeloadd"]),
        .library(name: "KneeloadEngine", targets: ["KneeloadEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Counts allocations for the benchmark only (preloaded; never linked into the tool or the daemon).
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
    ],
    targets: [
        .target(name: "KneeloadCore"),
        .target(
            name: "CI2C",
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("i2c", .when(platforms: [.linux]))]
        ),
        .target(name: "SensorBus", dependencies: ["CI2C"]),
        // A plain C target (not a systemLibrary): it carries its own shim code, which a system library module
        // cannot, and <gpiod.h> sits in /usr/include on Debian for both libgpiod 1.6 and 2.x, so no pkg-config
        // flags are needed; the same pattern as CI2C.
        .target(
            name: "CGpiod",
            linkerSettings: [.linkedLibrary("gpiod", .when(platforms: [.linux]))]
        ),
        .target(name: "AlertOutputs", dependencies: ["CGpiod", "KneeloadCore"]),
        .target(name: "SensorDrivers", dependencies: ["SensorBus", "KneeloadCore"]),
        .target(name: "SimulatedBus", dependencies: ["SensorBus", "KneeloadCore"]),
        .target(name: "KneeloadYAML", dependencies: ["Yams"]),
        .target(name: "GaitSimulator", dependencies: ["KneeloadCore", "KneeloadYAML", "Yams"]),
        .target(
            name: "KneeloadSimulation",
            dependencies: ["GaitSimulator", "SimulatedBus", "SensorDrivers", "KneeloadCore"]
        ),
        .target(name: "KneeloadEngine", dependencies: ["KneeloadCore"]),
        // The CPU's CRC-32C instruction for checking recordings (Swift has no intrinsic for it).
        .target(name: "CCRC32C"),
        .target(
            name: "KneeloadRecording",
            dependencies: ["KneeloadCore", "CCRC32C", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "KneeloadReplay", dependencies: ["KneeloadRecording", "KneeloadEngine", "KneeloadCore"]),
        // Pure SVG text from a replay's trace and events; Foundation-free so the output is the same bytes anywhere.
        .target(name: "KneeloadPlot", dependencies: ["KneeloadReplay", "KneeloadEngine", "KneeloadRecording", "KneeloadCore"]),
        .target(
            name: "KneeloadConfiguration",
            dependencies: ["KneeloadEngine", "KneeloadYAML", "Yams", "KneeloadCore", "SensorDrivers", "AlertOutputs"]
        ),
        .target(
            name: "KneeloadState",
            dependencies: ["KneeloadEngine", .product(name: "Logging", package: "swift-log")]
        ),
        // Saves growing totals in a loop until killed: the KneeloadState tests SIGKILL it mid-save.
        .executableTarget(
            name: "kneeload-state-crash-check",
            dependencies: ["KneeloadState", "KneeloadEngine", .product(name: "Logging", package: "swift-log")]
        ),
        // The daemon's parts: sampling loop, sensor supervision, GPIO alerts, wired to the engine.
        .target(
            name: "KneeloadDaemon",
            dependencies: [
                "KneeloadEngine", "KneeloadConfiguration", "SensorDrivers", "SensorBus", "SimulatedBus", "AlertOutputs",
                "KneeloadCore", "KneeloadSimulation", "GaitSimulator", "KneeloadRecording", "KneeloadStatus",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "KneeloadSystemd", dependencies: [.product(name: "Logging", package: "swift-log")]),
        // Not a test target, so daemon tests can use it too; never linked into a shipped binary.
        .target(
            name: "KneeloadTestSupport",
            dependencies: ["KneeloadSystemd", .product(name: "Logging", package: "swift-log")]
        ),
        // The status socket `kneeload status` talks to; the daemon implements StatusProvider and runs StatusServer.
        .target(
            name: "KneeloadStatus",
            dependencies: [
                "KneeloadEngine", "KneeloadRecording",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "kneeload",
            dependencies: [
                "KneeloadSimulation", "KneeloadRecording", "KneeloadEngine", "GaitSimulator", "KneeloadConfiguration", "KneeloadReplay",
                "KneeloadDaemon", "KneeloadStatus", "KneeloadPlot",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The daemon (CONTRACTS §5): on the board under systemd, or --simulate.
        .executableTarget(
            name: "kneeloadd",
            dependencies: [
                "KneeloadDaemon", "KneeloadConfiguration", "KneeloadEngine", "GaitSimulator", "AlertOutputs",
                "KneeloadState", "KneeloadSystemd", "KneeloadReplay", "KneeloadStatus",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Runs inside the QEMU guest of Tests/kernel/run.sh against i2c-stub's /dev/i2c-N.
        .executableTarget(
            name: "kneeload-kernel-check",
            dependencies: ["SensorDrivers", "SensorBus", "CI2C", "KneeloadCore", "AlertOutputs"]
        ),
        // Prints engine, CSV and recording replay throughput, recording size and allocations (README figures).
        .executableTarget(
            name: "kneeload-bench",
            dependencies: [
                "KneeloadEngine", "KneeloadRecording", "KneeloadReplay", "KneeloadSimulation", "GaitSimulator", "KneeloadCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ]
        ),
        .testTarget(name: "KneeloadCoreTests", dependencies: ["KneeloadCore"]),
        .testTarget(name: "SensorBusTests", dependencies: ["SensorBus"]),
        // KneeloadEngine only to check the default patterns cover every engine AlertKind.
        .testTarget(name: "AlertOutputsTests", dependencies: ["AlertOutputs", "KneeloadEngine"]),
        .testTarget(
            name: "SensorDriversTests",
            dependencies: ["SensorDrivers", "SimulatedBus", "SensorBus", "KneeloadCore"]
        ),
        .testTarget(name: "SimulatedBusTests", dependencies: ["SimulatedBus", "SensorBus", "KneeloadCore"]),
        .testTarget(name: "GaitSimulatorTests", dependencies: ["GaitSimulator", "KneeloadCore"]),
        .testTarget(
            name: "KneeloadSimulationTests",
            dependencies: ["KneeloadSimulation", "KneeloadRecording", "GaitSimulator", "KneeloadCore"]
        ),
        .testTarget(
            name: "KneeloadEngineTests",
            dependencies: ["KneeloadEngine", "KneeloadSimulation", "GaitSimulator", "KneeloadCore"]
        ),
        .testTarget(name: "KneeloadConfigurationTests", dependencies: ["KneeloadConfiguration", "KneeloadEngine"]),
        // Depends on the crash-check executable so `swift build --build-tests` builds it next to the tests.
        .testTarget(
            name: "KneeloadStateTests",
            dependencies: [
                "KneeloadState", "KneeloadEngine", "KneeloadCore", "kneeload-state-crash-check",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KneeloadDaemonTests",
            dependencies: [
                "KneeloadDaemon", "KneeloadConfiguration", "KneeloadEngine", "AlertOutputs", "SimulatedBus", "GaitSimulator",
                "KneeloadReplay", "KneeloadStatus", "KneeloadRecording",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KneeloadReplayTests",
            dependencies: ["KneeloadReplay", "KneeloadRecording", "KneeloadEngine", "KneeloadCore", "KneeloadSimulation", "GaitSimulator"]
        ),
        .testTarget(
            name: "KneeloadRecordingTests",
            dependencies: [
                "KneeloadRecording", "KneeloadCore", "KneeloadSimulation", "GaitSimulator",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KneeloadPlotTests",
            dependencies: ["KneeloadPlot", "KneeloadReplay", "KneeloadEngine", "KneeloadCore"]
        ),
        .testTarget(
            name: "KneeloadSystemdTests",
            dependencies: ["KneeloadSystemd", "KneeloadTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        // Runs the built `kneeload` binary end to end (exit statuses, stderr lines, files written).
        .testTarget(
            name: "KneeloadToolTests",
            dependencies: [
                "KneeloadRecording", "KneeloadState", "KneeloadTestSupport", "KneeloadStatus", "KneeloadEngine",
                "kneeload", "kneeloadd", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KneeloadStatusTests",
            dependencies: [
                "KneeloadStatus", "KneeloadEngine",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
