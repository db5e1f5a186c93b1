// kneeload-state-crash-check DIRECTORY [MAX_SAVES]
//
// Continues from the state in DIRECTORY (or starts fresh) and saves checkpoint after checkpoint, each with one
// more sample, one more step and 0.25 BW·s more load, printing "saved N" (N = lifetime samples) once each save
// has returned. The KneeloadState tests SIGKILL it at random moments and check that the file then holds the
// last or the next checkpoint, whole. Exits 0 after MAX_SAVES saves (default 100000), 1 on any error.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import KneeloadEngine
import KneeloadState
import Logging

/// Load added per checkpoint: a power of two, so the lifetime load is exactly 0.25 × samples.
let loadPerSave = 0.25
/// Engine time per checkpoint: one rolling-window bin, so the windows fill and the file has its full size.
let secondsPerSave = 0.125

/// One whole line, unbuffered: the test reads what was printed before the kill.
func emit(_ line: String, to fd: Int32) {
    var bytes = Array((line + "\n").utf8)
    var written = 0
    while written < bytes.count {
        let count = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return }
        written += count
    }
}

func fail(_ message: String) -> Never {
    emit("kneeload-state-crash-check: \(message)", to: 2)
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 || arguments.count == 3 else { fail("usage: kneeload-state-crash-check DIRECTORY [MAX_SAVES]") }
let maximumSaves = arguments.count == 3 ? Int(arguments[2]) ?? 0 : 100_000
var logger = Logger(label: "kneeload-state-crash-check")
logger.logLevel = .warning
let store = StateStore(directory: arguments[1], logger: logger)

var accumulator = LoadAccumulator(localTime: .unixEpochUTC)
var lifetime = LifetimeCounters()
if let state = store.load().state {
    do {
        accumulator = try LoadAccumulator(restoring: state.accumulator)
    } catch {
        fail("restored state does not restore: \(error)")
    }
    lifetime = state.lifetime
}

for _ in 0..<maximumSaves {
    lifetime.samples += 1
    lifetime.steps += 1
    let t = Double(lifetime.samples) * secondsPerSave
    do {
        try accumulator.add(loadBWs: loadPerSave, at: t)
        try accumulator.addStep(at: t)
        try store.save(
            DaemonState(savedAtEpochSeconds: 1.7e9 + t, accumulator: accumulator.snapshot, lifetime: lifetime))
    } catch {
        fail("\(error)")
    }
    emit("saved \(lifetime.samples)", to: 1)
}
