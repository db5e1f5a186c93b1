#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Serves `StatusProtocol` on a Unix socket for any number of clients at once. As a `Service` it runs until a
/// graceful shutdown (or cancellation), then closes every connection and removes its socket file.
///
/// A client can never hold the daemon up: every connection has its own task, replies wait on that client's
/// socket only, and a watcher's events come through a bounded `StatusEventBroadcaster` stream. Clients can
/// not exhaust its memory or descriptors either: beyond `maximumConnections` open at once, a new connection
/// gets a `too_many_connections` error line and is closed.
public struct StatusServer: Service {
    /// Enough for a few watchers and status polls at once; the socket is open to the daemon's group only.
    public static let defaultMaximumConnections = 16

    public let socketPath: String
    public let maximumConnections: Int
    private let provider: any StatusProvider
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let onListening: (@Sendable () -> Void)?

    /// `onListening` runs once the socket accepts connections (tests wait for it; the daemon may log).
    public init(
        socketPath: String, provider: any StatusProvider,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger,
        maximumConnections: Int = StatusServer.defaultMaximumConnections, onListening: (@Sendable () -> Void)? = nil
    ) {
        self.socketPath = socketPath
        self.maximumConnections = max(1, maximumConnections)
        self.provider = provider
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let server = try await listen()
        let inode = Self.inode(socketPath)
        defer { removeSocket(ifInode: inode) }
        logger.info("status socket listening", metadata: ["path": "\(socketPath)"])
        onListening?()
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                let open = OpenConnections()
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        guard open.enter(limit: maximumConnections) else {
                            refuse(connection)
                            continue
                        }
                        group.addTask {
                            await serve(connection)
                            open.leave()
                        }
                    }
                }
                // The listener is closed: end the connections still open (watchers would stay forever).
                group.cancelAll()
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
        logger.info("status socket closed", metadata: ["path": "\(socketPath)"])
    }

    /// Binds the socket: refuses to take over one a live server answers on, replaces a stale one, and sets
    /// `StatusProtocol.socketMode`. (Between bind and chmod the socket has the umask's mode; the runtime directory's
    /// own mode covers that instant.)
    ///
    /// Accepted connections come out as plain channels, reading paused, and are wrapped in their own task: a
    /// connection accepted while the server stops is then dropped (closed with the process) instead of tripping
    /// NIOAsyncWriter's "deinited without calling finish()" precondition, which it does when an unconsumed
    /// `NIOAsyncChannel` is released.
    private func listen() async throws -> NIOAsyncChannel<any Channel, Never> {
        if (try? StatusSocketClient(path: socketPath)) != nil { throw StatusServerError.inUse(path: socketPath) }
        let server: NIOAsyncChannel<any Channel, Never>
        do {
            server = try await ServerBootstrap(group: eventLoopGroup)
                .serverChannelOption(.backlog, value: 32)
                .bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.syncOptions?.setOption(.autoRead, value: false)
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RequestLineDecoder()))
                        return channel
                    }
                }
        } catch {
            throw StatusServerError.cannotListen(path: socketPath, reason: "\(error)")
        }
        guard chmod(socketPath, mode_t(StatusProtocol.socketMode)) == 0 else {
            let reason = String(cString: strerror(errno))
            try? await server.channel.close()
            throw StatusServerError.cannotListen(path: socketPath, reason: "chmod: \(reason)")
        }
        return server
    }

    /// Counts the connections being served; the accept loop enters, each connection's task leaves.
    private final class OpenConnections: Sendable {
        private let count = Atomic<Int>(0)

        func enter(limit: Int) -> Bool {
            if count.load(ordering: .relaxed) >= limit { return false }
            count.add(1, ordering: .relaxed)
            return true
        }

        func leave() { count.subtract(1, ordering: .relaxed) }
    }

    /// Tells a connection over the limit why, then closes it.
    private func refuse(_ channel: any Channel) {
        logger.warning(
            "status socket: refusing a connection, \(maximumConnections) are open", metadata: ["path": "\(socketPath)"])
        let reply = ByteBuffer(bytes: StatusProtocol.errorReply(.tooManyConnections(limit: maximumConnections)))
        channel.writeAndFlush(reply).whenComplete { _ in channel.close(promise: nil) }
    }

    private func serve(_ channel: any Channel) async {
        do {
            let connection = try await channel.eventLoop.submit {
                let wrapped = try NIOAsyncChannel<RequestLine, ByteBuffer>(wrappingChannelSynchronously: channel)
                try channel.syncOptions?.setOption(.autoRead, value: true)
                return wrapped
            }.get()
            try await connection.executeThenClose { inbound, outbound in
                var lines = inbound.makeAsyncIterator()
                var number = 0
                while let line = try await lines.next() {
                    number += 1
                    let request: Result<StatusRequest, StatusProtocolError>?
                    switch line {
                    case .text(let bytes): request = StatusProtocol.parse(bytes, number: number)
                    case .tooLong: request = .failure(.requestTooLong(line: number))
                    }
                    switch request {
                    case nil: continue
                    case .failure(let error): try await outbound.write(ByteBuffer(bytes: StatusProtocol.errorReply(error)))
                    case .success(.status):
                        try await outbound.write(ByteBuffer(bytes: StatusProtocol.statusReply(await provider.status())))
                    case .success(.acknowledge):
                        try await outbound.write(ByteBuffer(bytes: StatusProtocol.acknowledgedReply(await provider.acknowledge())))
                    case .success(.watch):
                        try await watch(connection.channel, reading: &lines, outbound)
                        return
                    }
                }
            }
        } catch {
            // A client that vanishes mid-reply is routine.
            channel.close(promise: nil)
            logger.debug("status connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Streams events until the client closes (or the provider ends the stream, or the server stops).
    private func watch(
        _ channel: any Channel, reading lines: inout NIOAsyncChannelInboundStream<RequestLine>.AsyncIterator,
        _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws {
        let events = provider.events()
        try await outbound.write(ByteBuffer(bytes: StatusProtocol.watchingReply))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events {
                    try await outbound.write(ByteBuffer(bytes: StatusProtocol.eventLine(event)))
                }
                // The daemon ended the stream: close, which also ends the read loop below.
                channel.close(promise: nil)
            }
            while try await lines.next() != nil {}
            group.cancelAll()
        }
    }

    private static func inode(_ path: String) -> ino_t? {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_ino : nil
    }

    /// Removes the socket file unless another server has replaced it meanwhile.
    private func removeSocket(ifInode inode: ino_t?) {
        guard let inode, Self.inode(socketPath) == inode else { return }
        if unlink(socketPath) != 0 {
            logger.warning("cannot remove status socket", metadata: ["path": "\(socketPath)", "error": "\(String(cString: strerror(errno)))"])
        }
    }
}

/// Why the status server could not start; each names the socket.
public enum StatusServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another server answers on the path (a second daemon?); its socket is left alone.
    case inUse(path: String)
    case cannotListen(path: String, reason: String)

    public var description: String {
        switch self {
        case .inUse(let path): "status socket \(path) is in use by a running server"
        case .cannotListen(let path, let reason): "cannot listen on status socket \(path): \(reason)"
        }
    }
}
