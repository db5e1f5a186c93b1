import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Where `JournalLogHandler` puts its lines: one call per log message, the line without its newline.
public protocol LogLineWriter: Sendable {
    func write(line: String)
}

/// Writes each line plus a newline to a file descriptor (stderr by default) in one `write(2)` where the kernel
/// takes it whole. A lock keeps lines from different threads whole when a write comes back short. Errors are
/// dropped: there is nowhere left to report them.
public final class FileDescriptorLogWriter: LogLineWriter {
    private let descriptor: Int32
    private let lock = Mutex(())

    public init(descriptor: Int32 = STDERR_FILENO) {
        self.descriptor = descriptor
    }

    public func write(line: String) {
        var text = line
        text.append("\n")
        text.withUTF8 { bytes in
            lock.withLock { _ in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}
