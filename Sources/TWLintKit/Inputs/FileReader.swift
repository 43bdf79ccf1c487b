import Foundation

/// Reads input files, turning every failure into a located problem instead of an exception.
enum FileReader {
    /// Files larger than this are refused: no sysctl configuration is that large, and reading one
    /// whole would cost memory for nothing.
    static let maxFileBytes = 16 * 1024 * 1024

    static func read(_ path: String, displayPath: String? = nil) -> Result<Data, InputProblem> {
        let shown = displayPath ?? path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(InputProblem(code: "TW907", location: SourceLocation(path: shown, line: 0),
                                         detail: "no such file or directory", unreadable: true))
        }
        if isDirectory.boolValue {
            return .failure(InputProblem(code: "TW907", location: SourceLocation(path: shown, line: 0),
                                         detail: "is a directory, expected a file", unreadable: true))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(InputProblem(code: "TW907", location: SourceLocation(path: shown, line: 0),
                                         detail: "cannot open the file (\(String(cString: strerror(errno))))", unreadable: true))
        }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: maxFileBytes + 1) ?? Data()
            if data.count > maxFileBytes {
                return .failure(InputProblem(code: "TW907", location: SourceLocation(path: shown, line: 0),
                                             detail: "the file is larger than \(maxFileBytes / 1024 / 1024) MiB; no sysctl configuration is, so it was not read", unreadable: true))
            }
            return .success(data)
        } catch {
            return .failure(InputProblem(code: "TW907", location: SourceLocation(path: shown, line: 0),
                                         detail: "cannot read the file: \(error.localizedDescription)", unreadable: true))
        }
    }
}
