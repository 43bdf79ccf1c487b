import Foundation

/// A buffered writer for standard output (or any descriptor): reports are streamed in chunks
/// instead of being built as one large string. Write errors are kept, never ignored: a full disk
/// (`> /dev/full`) is reported by `failure` so the command can exit non-zero, and a reader that closed
/// the pipe (EPIPE, with SIGPIPE ignored) stops the writing quietly.
public final class OutputBuffer {
    private var buffer: [UInt8] = []
    private let fd: Int32
    private let limit: Int
    /// The first write error (errno), if any; later writes are dropped.
    public private(set) var failure: Int32?

    public init(fd: Int32 = 1, limit: Int = 1 << 16) {
        self.fd = fd
        self.limit = limit
        buffer.reserveCapacity(limit)
    }

    public func write(_ s: String) {
        guard failure == nil else { return }
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= limit { flush() }
    }

    public func write(bytes: [UInt8]) {
        guard failure == nil else { return }
        buffer += bytes
        if buffer.count >= limit { flush() }
    }

    /// Marks the output as failed (a closed descriptor found at start): nothing is written, the run exits 2.
    public func fail(_ code: Int32) { if failure == nil { failure = code } }

    /// Whether the reader went away (EPIPE): not an error worth a message.
    public var readerClosed: Bool { failure == EPIPE }

    /// A message for a write error other than a closed pipe.
    public var failureMessage: String? {
        guard let failure, failure != EPIPE else { return nil }
        return "cannot write the output (\(String(cString: strerror(failure))))"
    }

    public func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil else { return }
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = errno
                return
            }
            offset += n
        }
    }

    deinit { flush() }
}
