import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file's content without losing it: a temporary file in the same directory, written and fsynced, with
/// the original's mode, owner and group, renamed over the original; for a symlink the target is rewritten and the
/// link stays. It refuses, with the reason, when the file is not a regular file, is not writable (no write
/// permission, or marked read-only by its mode even for root), changed since it was read, or (for a file found in a
/// walk) resolves outside the walked directory.
enum SafeWriter {
    struct Refusal: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }

    /// Writes `data` over `path`, whose content was `original` when read.
    static func replace(_ path: String, original: Data, with data: Data, confinedTo root: String?) -> Result<String, Refusal> {
        func refuse(_ reason: String) -> Result<String, Refusal> { .failure(Refusal(reason: reason)) }
        var linkInfo = stat()
        guard lstat(path, &linkInfo) == 0 else { return refuse("cannot stat it (\(errorText()))") }
        var target = path
        if (linkInfo.st_mode & S_IFMT) == S_IFLNK {
            guard let resolved = realpath(path, nil) else { return refuse("the symlink cannot be resolved (\(errorText()))") }
            target = String(cString: resolved)
            free(resolved)
        }
        if let root {
            guard let rootResolved = realpath(root, nil) else { return refuse("cannot resolve \(root) (\(errorText()))") }
            let rootPath = String(cString: rootResolved)
            free(rootResolved)
            guard let resolved = realpath(target, nil) else { return refuse("cannot resolve it (\(errorText()))") }
            let real = String(cString: resolved)
            free(resolved)
            if !(real.hasPrefix(rootPath == "/" ? "/" : rootPath + "/")) {
                return refuse("it resolves to \(real), outside \(root); only files named on the command line or inside a walked directory are written")
            }
        }
        var info = stat()
        guard stat(target, &info) == 0 else { return refuse("cannot stat it (\(errorText()))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return refuse("it is not a regular file") }
        let mode = info.st_mode & 0o7777
        if mode & 0o222 == 0 { return refuse("it is read-only (mode \(String(mode, radix: 8)))") }
        if access(target, W_OK) != 0 { return refuse("it is not writable (\(errorText()))") }
        func unchanged() -> Bool {
            var now = stat()
            guard stat(target, &now) == 0, now.st_ino == info.st_ino, now.st_dev == info.st_dev else { return false }
            guard case .success(let current) = FileReader.read(target) else { return false }
            return current == original
        }
        guard unchanged() else { return refuse("it changed since twlint read it") }
        let directory = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        var template = Array(((directory.isEmpty ? "." : directory) + "/." + name + ".twlint-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return refuse("cannot create a temporary file in \(directory.isEmpty ? "." : directory) (\(errorText()))") }
        let temporary = String(cString: template)
        var keep = false
        defer {
            if !keep { unlink(temporary) }
        }
        let bytes = [UInt8](data)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = errorText()
                close(fd)
                return refuse("cannot write the temporary file (\(reason))")
            }
            written += n
        }
        if fchown(fd, info.st_uid, info.st_gid) != 0 {
            let reason = errorText()
            close(fd)
            return refuse("cannot keep its owner and group \(info.st_uid):\(info.st_gid) (\(reason))")
        }
        if fchmod(fd, mode) != 0 {
            let reason = errorText()
            close(fd)
            return refuse("cannot keep its mode \(String(mode, radix: 8)) (\(reason))")
        }
        if fsync(fd) != 0 {
            let reason = errorText()
            close(fd)
            return refuse("cannot flush the temporary file to disk (\(reason))")
        }
        close(fd)
        guard unchanged() else { return refuse("it changed since twlint read it") }
        guard rename(temporary, target) == 0 else { return refuse("cannot rename the temporary file over it (\(errorText()))") }
        keep = true
        let dirfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 { fsync(dirfd); close(dirfd) }
        return .success(target)
    }
}
