import Foundation
import KneeloadEngine
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

@testable import KneeloadStatus

/// A daemon stand-in: a fixed status, a list of active alerts that `acknowledge` empties, and a broadcaster.
final class FakeProvider: StatusProvider {
    let broadcaster: StatusEventBroadcaster
    private let state: Mutex<(status: DaemonStatus, active: [AlertEvent], statusCalls: Int)>

    init(status: DaemonStatus = .example, active: [AlertEvent] = [], capacity: Int = StatusEventBroadcaster.defaultCapacity) {
        broadcaster = StatusEventBroadcaster(capacity: capacity)
        state = Mutex((status, active, 0))
    }

    var statusCalls: Int { state.withLock { $0.statusCalls } }

    func status() async -> DaemonStatus {
        state.withLock { state in
            state.statusCalls += 1
            return state.status
        }
    }

    func acknowledge() async -> [AlertEvent] {
        let acknowledged = state.withLock { state in
            defer { state.active.removeAll() }
            return state.active
        }
        for alert in acknowledged {
            broadcaster.publish(.alertAcknowledged(t: 500, kind: alert.kind, level: alert.level))
        }
        return acknowledged
    }

    func events() -> AsyncStream<StatusEvent> { broadcaster.subscribe() }
}

extension DaemonStatus {
    /// Every field set, with values the fixed decimals carry exactly.
    static let example = DaemonStatus(
        uptimeS: 3725.5, samples: 372_550, droppedSamples: 3,
        session: Totals(loadBWs: 1234.5, steps: 820, stairDescentSteps: 48), alertsActive: [.stairDescents, .loadRate],
        sensors: [
            SensorStatus(name: "imu", state: .ok, detail: "LSM6DS3 at 0x6a on /dev/i2c-1"),
            SensorStatus(name: "knee", state: .degraded),
        ],
        version: "0.1.0", mode: .simulated, sampleRateHz: 100, lateSamples: 7,
        day: Totals(loadBWs: 2500.25, steps: 1600, stairDescentSteps: 90), loadLastMinuteBWs: 42.125,
        trainingLoad: TrainingLoad(acuteBWs: 2100.5, chronicBWs: 1900.75, daysOfHistory: 12),
        recording: Recording(active: false, reason: "disk full"), stateCheckpointUnixS: 1_760_000_000.5)
}

/// A short socket path (sun_path holds 107 bytes) that no other test uses.
func temporarySocketPath() -> String {
    "/tmp/kls-\(UUID().uuidString.prefix(8)).sock"
}

/// Runs a `StatusServer` in a `ServiceGroup` for the duration of `body`, then shuts it down gracefully.
func withServer<T>(
    _ provider: FakeProvider, path: String = temporarySocketPath(),
    maximumConnections: Int = StatusServer.defaultMaximumConnections,
    _ body: (String, ServiceGroup) async throws -> T
) async throws -> T {
    let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
    let server = StatusServer(
        socketPath: path, provider: provider, logger: Logger(label: "test"), maximumConnections: maximumConnections,
        onListening: { readyContinuation.yield() })
    let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ready.makeAsyncIterator()
        _ = await iterator.next()
        let result: T
        do {
            result = try await body(path, group)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

/// One client connection, read line by line.
struct TestConnection {
    var lines: NIOAsyncChannelInboundStream<RequestLine>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    mutating func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    mutating func send(_ request: StatusRequest) async throws {
        try await outbound.write(ByteBuffer(bytes: request.line))
    }

    /// The next line as text; nil at end of stream.
    mutating func line() async throws -> String? {
        guard let line = try await lines.next() else { return nil }
        guard case .text(let bytes) = line else { throw TestFailure("reply longer than the test client's limit") }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func reply() async throws -> StatusReply {
        guard let line = try await lines.next(), case .text(let bytes) = line else {
            throw TestFailure("no reply")
        }
        return try StatusReply(line: bytes)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Connects to `path` and runs `body` on the connection, closing it afterwards.
func withConnection<T: Sendable>(_ path: String, _ body: (inout TestConnection) async throws -> T) async throws -> T {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(unixDomainSocketPath: path) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RequestLineDecoder(maximumLength: 1 << 20)))
                return try NIOAsyncChannel<RequestLine, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        var connection = TestConnection(lines: inbound.makeAsyncIterator(), outbound: outbound)
        return try await body(&connection)
    }
}
