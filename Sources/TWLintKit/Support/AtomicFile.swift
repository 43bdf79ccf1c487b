import Foundation

/// Replaces a file atomically, for readers that must never see half of it (node_exporter's textfile collector
/// reads `*.prom` files whenever it is scraped): the content goes to a temporary file in the same directory
/// (same file system, a name without the `.prom` suffix), is flushed to disk, and is renamed over the target.
public enum AtomicFile {
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let step: String
        public let code: Int32
        public var description: String { "\(path): \(step): \(String(cString: strerror(code)))" }
    }

    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        var template = Array("\(directory)/.\(name).twlint-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Failure(path: path, step: "creating a temporary file in \(directory)", code: errno) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure(path: temporary, step: "write", code: errno)
                }
                offset += n
            }
            guard fchmod(fd, mode) == 0 else { throw Failure(path: temporary, step: "fchmod", code: errno) }
            guard fsync(fd) == 0 else { throw Failure(path: temporary, step: "fsync", code: errno) }
        }
        guard rename(temporary, path) == 0 else { throw Failure(path: path, step: "rename", code: errno) }
        renamed = true
        // The rename itself reaches the disk with the directory.
        let dir = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 { _ = fsync(dir); close(dir) }
    }
}
