import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A byte budget shared by the reads of one run (all files of a `lint`, all of a `--proc-root` tree,
/// all rule files): once spent, further reads are refused with a located problem instead of growing memory.
public final class ReadBudget: @unchecked Sendable {
    public let limit: Int
    private var used = 0
    private let lock = NSLock()

    public init(limit: Int) { self.limit = limit }

    /// Takes `bytes` from the budget; false (and nothing taken) when that would exceed it.
    func take(_ bytes: Int) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard bytes <= limit - used else { return false }
        used += bytes
        return true
    }

    public var spent: Int { lock.lock(); defer { lock.unlock() }; return used }
}

/// The one way twlint reads input: every failure is a located problem instead of an exception or a trap,
/// special files (FIFOs, devices, sockets) are refused before they are opened so nothing can block, and
/// every read is capped per file and per run.
public enum FileReader {
    /// Files larger than this are refused: no sysctl configuration or manifest is that large.
    public static let maxFileBytes = 16 * 1024 * 1024
    /// Standard input gets the same cap as a file.
    public static let maxStandardInputBytes = 16 * 1024 * 1024
    /// All files of one `twlint lint` run together.
    public static let maxRunBytes = 256 * 1024 * 1024
    /// Symlinks followed while resolving one path inside a root (the kernel's own limit is 40).
    static let maxSymlinks = 40
    /// O_PATH (Linux, every architecture but alpha/sparc/parisc); Glibc's module does not export it.
    static let oPath: Int32 = 0o10000000

    /// Why a read failed: the text of a TW907 finding, and whether it is a symlink loop (TW908).
    struct Failure: Error {
        let detail: String
        var loop = false
        var missing = false
    }

    static func problem(_ failure: Failure, shown: String) -> InputProblem {
        InputProblem(code: failure.loop ? "TW908" : "TW907", location: SourceLocation(path: shown, line: 0),
                     detail: failure.detail, unreadable: true)
    }

    static func describe(errno code: Int32, opening: Bool = true) -> Failure {
        switch code {
        case ENOENT: return Failure(detail: "no such file or directory", missing: true)
        case ENOTDIR: return Failure(detail: "a component of the path is not a directory", missing: true)
        case ELOOP: return Failure(detail: "too many levels of symbolic links (a symlink loop); not read", loop: true)
        case ENAMETOOLONG: return Failure(detail: "the path is too long for the system (PATH_MAX); not read")
        case EACCES, EPERM: return Failure(detail: "permission denied")
        case ENXIO: return Failure(detail: "is a socket or a device without a driver, not a regular file; not read")
        case EISDIR: return Failure(detail: "is a directory, expected a file")
        case EBADF: return Failure(detail: "the descriptor is closed")
        default: return Failure(detail: "cannot \(opening ? "open" : "read") the file (\(String(cString: strerror(code))))")
        }
    }

    /// Refuses everything but regular files (and directories, reported separately by callers).
    static func typeFailure(_ mode: mode_t) -> Failure? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return Failure(detail: "is a directory, expected a file")
        case S_IFIFO: return Failure(detail: "is a FIFO (named pipe), not a regular file; not read, as reading it could block forever")
        case S_IFCHR: return Failure(detail: "is a character device, not a regular file; not read")
        case S_IFBLK: return Failure(detail: "is a block device, not a regular file; not read")
        case S_IFSOCK: return Failure(detail: "is a socket, not a regular file; not read")
        default: return Failure(detail: "is not a regular file; not read")
        }
    }

    static func tooLarge(_ limit: Int) -> Failure {
        Failure(detail: "the file is larger than \(describeBytes(limit)); no sysctl input is, so it was not read")
    }

    static func describeBytes(_ n: Int) -> String {
        n >= 1024 * 1024 ? "\(n / 1024 / 1024) MiB" : n >= 1024 ? "\(n / 1024) KiB" : "\(n) bytes"
    }

    /// How long a pipe named on the command line (`twlint lint <(cmd)`) may stay silent before it is given up.
    public static let pipeTimeoutSeconds: Int32 = 10

    /// Reads a regular file, at most `limit` bytes, charging `budget`. With `allowPipe` (a path named on the
    /// command line), a FIFO is read too — process substitution gives one — but without ever blocking: it is
    /// opened non-blocking and each wait for data is bounded by `pipeTimeoutSeconds`.
    public static func read(_ path: String, displayPath: String? = nil, limit: Int = maxFileBytes, budget: ReadBudget? = nil,
                            allowPipe: Bool = false, pipeTimeout: Int32 = pipeTimeoutSeconds) -> Result<Data, InputProblem> {
        let shown = displayPath ?? path
        switch readRegular(path, limit: limit, budget: budget, allowPipe: allowPipe, pipeTimeout: pipeTimeout) {
        case .success(let data): return .success(data)
        case .failure(let f): return .failure(problem(f, shown: shown))
        }
    }

    static func readRegular(_ path: String, limit: Int, budget: ReadBudget?, allowPipe: Bool = false,
                            pipeTimeout: Int32 = pipeTimeoutSeconds) -> Result<Data, Failure> {
        // The type is checked before the file is opened: opening a FIFO for reading blocks until a writer
        // appears, and opening a device can have side effects.
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(describe(errno: errno)) }
        if allowPipe && (info.st_mode & S_IFMT) == S_IFIFO { return readPipe(path, limit: limit, budget: budget, timeout: pipeTimeout) }
        // /dev/null (character device 1:3) is the one device that is harmless to read: it is empty.
        if (info.st_mode & S_IFMT) == S_IFCHR && info.st_rdev == 0x103 { return .success(Data()) }
        if let f = typeFailure(info.st_mode) { return .failure(f) }
        // Non-blocking: if the file was replaced by a FIFO since the check, the open still returns.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return .failure(describe(errno: errno)) }
        defer { close(fd) }
        return readOpened(fd, limit: limit, budget: budget)
    }

    /// A FIFO named on the command line: opened non-blocking (so the open returns at once), then read with
    /// poll(), each wait bounded, until the writer closes it.
    static func readPipe(_ path: String, limit: Int, budget: ReadBudget?, timeout: Int32) -> Result<Data, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return .failure(describe(errno: errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFIFO else { return .failure(Failure(detail: "changed while it was being opened; not read")) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&waiting, 1, timeout * 1000)
            if ready < 0 {
                if errno == EINTR { continue }
                return .failure(describe(errno: errno, opening: false))
            }
            if ready == 0 {
                return .failure(Failure(detail: "is a FIFO (named pipe) and nothing was written to it for \(timeout) s; not read further"))
            }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .failure(describe(errno: errno, opening: false))
            }
            if n == 0 { break }
            if let failure = append(buffer[0..<n], to: &data, limit: limit, budget: budget) { return .failure(failure) }
        }
        return .success(data)
    }

    /// Appends what one read returned, within the file's `limit` and the run's `budget`; the failure otherwise.
    static func append(_ chunk: ArraySlice<UInt8>, to data: inout Data, limit: Int, budget: ReadBudget?) -> Failure? {
        if data.count + chunk.count > limit { return tooLarge(limit) }
        if let budget, !budget.take(chunk.count) {
            return Failure(detail: "the run has already read \(describeBytes(budget.limit)), twlint's limit for one run; not read")
        }
        data.append(contentsOf: chunk)
        return nil
    }

    /// Reads an opened descriptor that must be a regular file.
    static func readOpened(_ fd: Int32, limit: Int, budget: ReadBudget?) -> Result<Data, Failure> {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(describe(errno: errno)) }
        if let f = typeFailure(info.st_mode) { return .failure(f) }
        if Int(clamping: info.st_size) > limit { return .failure(tooLarge(limit)) }
        return drain(fd, limit: limit, sizeHint: Int(clamping: info.st_size), budget: budget)
    }

    /// Reads to the end (the size may be 0 for /proc files), never more than `limit`.
    static func drain(_ fd: Int32, limit: Int, sizeHint: Int, budget: ReadBudget?) -> Result<Data, Failure> {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: Swift.min(Swift.max(sizeHint + 1, 4096), 1 << 20))
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN { return .failure(Failure(detail: "no data available without waiting (a pipe or device); not read")) }
                return .failure(describe(errno: errno, opening: false))
            }
            if n == 0 { break }
            if let failure = append(buffer[0..<n], to: &data, limit: limit, budget: budget) { return .failure(failure) }
        }
        return .success(data)
    }

    /// Standard input (`-`): a pipe, a file or a terminal, capped like a file. A closed descriptor or a
    /// directory on standard input is a located problem, not a trap.
    public static func readStandardInput(fd: Int32 = STDIN_FILENO, limit: Int = maxStandardInputBytes, budget: ReadBudget? = nil) -> Result<Data, InputProblem> {
        var info = stat()
        let shown = "<stdin>"
        guard fstat(fd, &info) == 0 else {
            return .failure(problem(Failure(detail: "standard input is closed; nothing to read"), shown: shown))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            return .failure(problem(Failure(detail: "standard input is a directory, expected sysctl text or a manifest"), shown: shown))
        }
        switch drain(fd, limit: limit, sizeHint: 0, budget: budget) {
        case .success(let d): return .success(d)
        case .failure(let f):
            let detail = f.detail.hasPrefix("the file is larger")
                ? "standard input is larger than \(describeBytes(limit)); no sysctl input is, so it was not read" : f.detail
            return .failure(problem(Failure(detail: detail), shown: shown))
        }
    }

    // MARK: reading inside a root

    /// The outcome of reading a path inside a root directory.
    public enum RootRead {
        case value(Data)
        case missing
        case unreadable(String)
    }

    /// Reads `relative` inside `root` as if `root` were `/`: `..` stops at the root and symlinks (absolute
    /// ones included) are resolved inside it, component by component, with descriptors, so no path and no
    /// symlink can lead outside (the semantics of openat2's RESOLVE_IN_ROOT). Only regular files are read.
    public static func readInRoot(_ root: String, _ relative: String, limit: Int, budget: ReadBudget? = nil) -> RootRead {
        switch openInRoot(root, relative) {
        case .failure(let f): return f.missing ? .missing : .unreadable(f.detail)
        case .success(let fd):
            defer { close(fd) }
            switch readOpened(fd, limit: limit, budget: budget) {
            case .success(let d): return .value(d)
            case .failure(let f): return .unreadable(f.detail)
            }
        }
    }

    /// Opens `relative` for reading with every component resolved inside `root` (see `readInRoot`); the caller
    /// closes the descriptor.
    static func openInRoot(_ root: String, _ relative: String) -> Result<Int32, Failure> {
        let rootFD = open(root.isEmpty ? "." : root, oPath | O_DIRECTORY | O_CLOEXEC)
        guard rootFD >= 0 else {
            var f = describe(errno: errno)
            f.missing = f.missing || errno == ENOENT || errno == ENOTDIR
            return .failure(f)
        }
        defer { close(rootFD) }
        return openInRoot(rootFD, relative)
    }

    static func openInRoot(_ rootFD: Int32, _ relative: String) -> Result<Int32, Failure> {
        let end = RootFS.walk(rootFD, Array(relative.utf8)) { directory, name, _, info, _ -> Result<Int32, Failure> in
            if let f = typeFailure(info.st_mode) { return .failure(f) }
            guard let name else { return .failure(Failure(detail: "is a directory, expected a file")) }
            // Reopen for reading by name, without following, and check it is the same file.
            let readable = (name + [0]).withUnsafeBufferPointer { p in
                openat(directory, UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: CChar.self),
                       O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
            }
            guard readable >= 0 else { return .failure(describe(errno: errno)) }
            var again = stat()
            guard fstat(readable, &again) == 0, again.st_dev == info.st_dev, again.st_ino == info.st_ino else {
                close(readable)
                return .failure(Failure(detail: "the file changed while it was being opened; not read"))
            }
            return .success(readable)
        }
        switch end {
        case .reached(let result): return result
        case .loop: return .failure(describe(errno: ELOOP))
        case .failed(let e): return .failure(describe(errno: e))
        case .devNull: return .failure(describe(errno: ENOENT))   // not asked for
        }
    }
}
