import NIOCore

/// One framed request line, or the news that a line was too long (its bytes are discarded, not kept).
enum RequestLine: Sendable, Equatable {
    case text([UInt8])
    case tooLong
}

/// Splits the inbound bytes at `\n`. Holds at most `maximumLength` bytes of an unfinished line: a longer line is
/// dropped as it arrives and reported once, as `.tooLong`, when its newline comes.
struct RequestLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = RequestLine

    let maximumLength: Int
    private var discarding = false

    init(maximumLength: Int = StatusProtocol.maximumRequestBytes) {
        self.maximumLength = maximumLength
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let line = nextLine(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        if let line = nextLine(&buffer) {
            context.fireChannelRead(wrapInboundOut(line))
            return .continue
        }
        // A last line without its newline still counts.
        if buffer.readableBytes > 0 || discarding {
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            context.fireChannelRead(wrapInboundOut(discarding ? .tooLong : .text(bytes)))
            discarding = false
        }
        return .needMoreData
    }

    /// The next complete line in `buffer`, if any; drops the head of an over-long line as it comes.
    mutating func nextLine(_ buffer: inout ByteBuffer) -> RequestLine? {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maximumLength {
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
                discarding = true
            }
            return nil
        }
        let length = newline - buffer.readerIndex
        let bytes = buffer.readBytes(length: length) ?? []
        buffer.moveReaderIndex(forwardBy: 1)
        defer { discarding = false }
        return discarding || length > maximumLength ? .tooLong : .text(bytes)
    }
}
