import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file system seen from inside a root directory, as a chroot would see it: every path is resolved one
/// component at a time, symlinks (absolute or relative, in directories or in the last component) are
/// resolved against the root, and `..` never climbs above it. Nothing outside the root is ever opened.
///
/// The walk (`RootFS.walk`, shared with `--proc-root` reads) never lets the host follow a symlink: each
/// component is opened with O_PATH | O_NOFOLLOW below the descriptor of the directory before it, and the
/// final file is read with `O_NOFOLLOW` and checked again.
public struct RootFS: Sendable {
    /// The root on this machine, without a trailing slash ("" for `/`).
    public let root: String

    public init(root: String) {
        var r = root
        while r.count > 1 && r.hasSuffix("/") { r.removeLast() }
        self.root = r == "/" ? "" : r
    }

    /// How a system path resolves inside the root.
    public enum Node: Equatable, Sendable {
        /// A regular file; the host path is free of symlinks.
        case file(host: [UInt8], system: [UInt8])
        case directory(host: [UInt8], system: [UInt8])
        /// The system path resolves to /dev/null: an empty file (what a masking symlink points at).
        case devNull
        /// Something else (a device, a FIFO, a socket): never opened.
        case special(system: [UInt8])
        /// A component does not exist (a dangling symlink, or a missing file).
        case missing
        /// Too many symlinks (more than Linux's 40).
        case loop
        /// A component could not be examined (permission, or a non-directory in the middle).
        case error(Int32)
    }

    /// The host path for a symlink-free system path.
    public func hostPath(_ system: [UInt8]) -> [UInt8] { Array(root.utf8) + system }

    public func hostPath(_ system: String) -> String { root + system }

    /// Resolves `system` (an absolute path inside the root), with the one walk twlint has (`RootFS.walk`).
    public func resolve(_ system: [UInt8]) -> Node {
        let rootFD = open(root.isEmpty ? "/" : root, FileReader.oPath | O_DIRECTORY | O_CLOEXEC)
        guard rootFD >= 0 else { return errno == ENOENT || errno == ENOTDIR ? .missing : .error(errno) }
        defer { close(rootFD) }
        let end = RootFS.walk(rootFD, system, devNull: true) { _, _, _, info, system -> Node in
            switch info.st_mode & S_IFMT {
            case S_IFREG: return .file(host: hostPath(system), system: system)
            case S_IFDIR: return .directory(host: hostPath(system), system: system)
            default: return .special(system: system)
            }
        }
        switch end {
        case .reached(let node): return node
        case .devNull: return .devNull
        case .loop: return .loop
        case .failed(let e): return e == ENOENT || e == ENOTDIR ? .missing : .error(e)
        }
    }

    /// How a walk ended.
    enum WalkEnd<R> {
        /// The last component was reached; the value is what `finish` made of it.
        case reached(R)
        /// The remaining path is /dev/null (only when asked for).
        case devNull
        /// More than `FileReader.maxSymlinks` symlinks.
        case loop
        /// A component could not be opened or examined (ENOTDIR for a non-directory in the middle).
        case failed(Int32)
    }

    /// The one component-by-component walk inside a root (the semantics of openat2's RESOLVE_IN_ROOT), used
    /// by `--root` (`resolve`) and `--proc-root` (`FileReader.openInRoot`). Each component is opened with
    /// O_PATH | O_NOFOLLOW relative to the descriptor of the directory before it, so the host never follows a
    /// symlink and nothing (FIFO, device) is opened for reading. A symlink's target, absolute or relative, is
    /// resolved inside the root (`/proc/net -> self/net` included), `..` never climbs above it. With `devNull`,
    /// a remaining path that is exactly /dev/null ends the walk (the host's null device: what a masking
    /// symlink points at). `finish` gets the directory descriptor holding the last component and its name
    /// (nil when the path ends on a directory of the walk itself: the root, or after `..`), an O_PATH
    /// descriptor of the last component, its stat and its symlink-free system path; every descriptor the
    /// walk opened is closed after `finish` returns.
    static func walk<R>(_ rootFD: Int32, _ path: [UInt8], devNull: Bool = false,
                        finish: (_ directory: Int32, _ name: [UInt8]?, _ fd: Int32, _ info: stat, _ system: [UInt8]) -> R) -> WalkEnd<R> {
        var pending: [[UInt8]] = RootFS.components(path).reversed()
        var stack: [Int32] = [rootFD]     // stack[0] is the caller's; the rest are ours to close
        var resolved: [[UInt8]] = []      // the names of stack[1...]
        defer { for fd in stack.dropFirst() { close(fd) } }
        func joined(_ parts: [[UInt8]]) -> [UInt8] {
            parts.isEmpty ? [UInt8(ascii: "/")] : parts.reduce(into: [UInt8]()) { $0.append(UInt8(ascii: "/")); $0 += $1 }
        }
        let null = Array("/dev/null".utf8)
        var links = 0
        while let part = pending.popLast() {
            if devNull && joined(resolved + [part] + pending.reversed()) == null { return .devNull }
            if part == [UInt8(ascii: ".")] { continue }
            if part == [UInt8(ascii: "."), UInt8(ascii: ".")] {
                if stack.count > 1 { close(stack.removeLast()); resolved.removeLast() }
                continue
            }
            let fd = (part + [0]).withUnsafeBufferPointer { p in
                openat(stack.last!, UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: CChar.self),
                       FileReader.oPath | O_NOFOLLOW | O_CLOEXEC)
            }
            guard fd >= 0 else { return .failed(errno) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { let e = errno; close(fd); return .failed(e) }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                links += 1
                var target = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = target.withUnsafeMutableBytes { readlinkat(fd, "", $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count - 1) }
                let e = errno
                close(fd)
                guard links <= FileReader.maxSymlinks else { return .loop }
                guard n >= 0 else { return .failed(e) }
                if target.first == UInt8(ascii: "/") {
                    while stack.count > 1 { close(stack.removeLast()) }
                    resolved = []
                }
                pending += RootFS.components(Array(target[0..<n])).reversed()
            case S_IFDIR:
                stack.append(fd)
                resolved.append(part)
                if pending.isEmpty {
                    return .reached(finish(stack[stack.count - 2], part, fd, info, joined(resolved)))
                }
            default:
                defer { close(fd) }
                guard pending.isEmpty else { return .failed(ENOTDIR) }
                return .reached(finish(stack.last!, part, fd, info, joined(resolved + [part])))
            }
        }
        // The path ended on the root itself or after "..": look at that directory.
        if devNull && joined(resolved) == null { return .devNull }
        var info = stat()
        guard fstat(stack.last!, &info) == 0 else { return .failed(errno) }
        return .reached(finish(stack.last!, nil, stack.last!, info, joined(resolved)))
    }

    public func resolve(_ system: String) -> Node { resolve(Array(system.utf8)) }

    static func components(_ path: [UInt8]) -> [[UInt8]] {
        path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
    }

    /// The names in a directory (not `.` and `..`), as bytes, in the order the directory lists them.
    public func list(_ node: Node) -> Result<[[UInt8]], Errno> {
        guard case .directory(let host, _) = node else { return .failure(Errno(ENOTDIR)) }
        let fd = (host + [0]).withUnsafeBufferPointer { p in
            open(UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: CChar.self), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        guard fd >= 0, let dir = fdopendir(fd) else { let e = errno; return .failure(Errno(e)) }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                let end = bytes.firstIndex(of: 0) ?? bytes.count
                return Array(bytes[0..<end])
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
            if names.count > 100_000 { break }
        }
        return .success(names)
    }

    /// Reads a regular file (never following a symlink on the host, never blocking), at most `limit` bytes.
    public static func read(host: [UInt8], limit: Int = 16 * 1024 * 1024) -> Result<[UInt8], Errno> {
        let fd = (host + [0]).withUnsafeBufferPointer { p in
            open(UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: CChar.self), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        }
        guard fd >= 0 else { return .failure(Errno(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(Errno(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .failure(Errno(EISDIR)) }
        if Int(info.st_size) > limit { return .failure(Errno(EFBIG)) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return .failure(Errno(errno)) }
            if n == 0 { break }
            data += buffer[0..<n]
            if data.count > limit { return .failure(Errno(EFBIG)) }
        }
        return .success(data)
    }
}

extension Array where Element == UInt8 {
    /// The bytes as text for messages: invalid UTF-8 and control characters escaped as `\xNN`.
    var displayText: String {
        var out = ""
        var i = 0
        while i < count {
            let b = self[i]
            if b >= 0x20 && b < 0x7F { out.unicodeScalars.append(UnicodeScalar(b)); i += 1; continue }
            if b >= 0x80 {
                // A valid multi-byte UTF-8 sequence is kept.
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0
                if length > 0, i + length <= count, let s = String(validating: self[i..<(i + length)], as: UTF8.self) {
                    out += s; i += length; continue
                }
            }
            out += String(format: "\\x%02X", b)
            i += 1
        }
        return out
    }
}

/// An errno as a Swift error.
public struct Errno: Error, Equatable, Sendable {
    public let code: Int32
    public init(_ code: Int32) { self.code = code }
    public var description: String { String(cString: strerror(code)) }
}
