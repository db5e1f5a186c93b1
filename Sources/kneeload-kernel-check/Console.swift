#if canImport(Glibc)
    import Glibc
#endif

/// Output straight to the file descriptors, unbuffered: when the tool runs with its output redirected to a
/// file (as /init does), the lines printed before a crash must still be there.
enum Console {
    static func line(_ text: String) {
        write(text + "\n", to: STDOUT_FILENO)
    }

    static func error(_ text: String) {
        write(text + "\n", to: STDERR_FILENO)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if n > 0 {
                done += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return  // nowhere left to report it
            }
        }
    }
}
