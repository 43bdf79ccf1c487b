import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads input files, turning every failure into a located problem instead of an exception.
enum FileReader {
    /// Files larger than this are refused: no sysctl configuration is that large, and reading one
    /// whole would cost memory for nothing.
    static let maxFileBytes = 16 * 1024 * 1024

    static func read(_ path: String, displayPath: String? = nil) -> Result<Data, InputProblem> {
        let shown = displayPath ?? path
        func problem(_ detail: String) -> Result<Data, InputProblem> {
            .failure(InputProblem(code: "TW907", location: SourceLocation(path: shown, line: 0), detail: detail, unreadable: true))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return problem(errno == ENOENT ? "no such file or directory" : "cannot open the file (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return problem("cannot stat the file (\(String(cString: strerror(errno))))") }
        if (info.st_mode & S_IFMT) == S_IFDIR { return problem("is a directory, expected a file") }
        if Int(info.st_size) > maxFileBytes {
            return problem("the file is larger than \(maxFileBytes / 1024 / 1024) MiB; no sysctl configuration is, so it was not read")
        }
        // Read to the end (the size may be 0 for special files), never more than the limit.
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: max(Int(info.st_size) + 1, 4096))
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return problem("cannot read the file (\(String(cString: strerror(errno))))")
            }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
            if data.count > maxFileBytes {
                return problem("the file is larger than \(maxFileBytes / 1024 / 1024) MiB; no sysctl configuration is, so it was not read")
            }
        }
        return .success(data)
    }
}
