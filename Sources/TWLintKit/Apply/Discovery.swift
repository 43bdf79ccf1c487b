import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which files an applier reads, in which order, and which it masks. File names are bytes: they are
/// compared and sorted with `strcmp`, as both programs do, never as Unicode strings (an NFC and an NFD
/// spelling of one name are two files; a name that is not UTF-8 is a name like any other).
public struct Discovery: Sendable {
    /// One file the applier opens, in apply order.
    public struct File: Sendable {
        /// The file name, as the directory lists it.
        public let name: [UInt8]
        /// The path inside the system: `/etc/sysctl.d/10-x.conf`.
        public let system: [UInt8]
        /// The path on this machine, escaped for messages.
        public let displayPath: String
        public let node: RootFS.Node
        /// procps only: the file was found by expanding another file's name as a glob pattern.
        public let expandedFrom: String?

        /// The bytes the applier reads: nil when it cannot open or read the file (a dangling symlink, a
        /// loop, a directory); empty for /dev/null.
        public func content(limit: Int = 16 * 1024 * 1024) -> Result<[UInt8], Errno> {
            switch node {
            case .file(let host, _): return RootFS.read(host: host, limit: limit)
            case .devNull: return .success([])
            case .directory: return .failure(Errno(EISDIR))
            case .special: return .failure(Errno(EINVAL))
            case .missing: return .failure(Errno(ENOENT))
            case .loop: return .failure(Errno(ELOOP))
            case .error(let e): return .failure(Errno(e))
            }
        }
    }

    public var files: [File] = []
    /// Files a same-named file in a higher-priority directory masks: (masked, by).
    public var masked: [(path: String, by: String)] = []
    /// Files the applier passes over: systemd's hidden `.name.conf` files.
    public var skipped: [(path: String, why: String)] = []
    /// Directories that exist but cannot be listed.
    public var unlistable: [(path: String, errno: Int32)] = []
    /// procps: the file whose opening failed stopped the rest of a glob expansion.
    public var stoppedExpansions: [String] = []

    static let conf = Array(".conf".utf8)

    public static func discover(_ applier: Applier, in fs: RootFS) -> Discovery {
        var result = Discovery()
        // name → the file that claimed it (the first directory listing it wins, whatever the file is:
        // a dangling symlink or a directory masks later same-named files too).
        var claimed: [[UInt8]: (dir: Int, display: String)] = [:]
        var found: [(name: [UInt8], dir: Int)] = []
        var listings: [Int: [[UInt8]]] = [:]
        var dirNodes: [Int: RootFS.Node] = [:]
        for (index, directory) in applier.directories.enumerated() {
            let node = fs.resolve(directory)
            guard case .directory = node else { continue }
            let names: [[UInt8]]
            switch fs.list(node) {
            case .success(let n): names = n
            case .failure(let e):
                result.unlistable.append((fs.hostPath(directory), e.code))
                continue
            }
            listings[index] = names
            dirNodes[index] = node
            for name in names {
                let path = fs.hostPath(directory) + "/" + name.displayText
                switch applier {
                case .systemd:
                    // conf_files_list: FOREACH_DIRENT skips hidden and backup files; then the ".conf" suffix.
                    guard name.count >= conf.count, Array(name.suffix(conf.count)) == conf else { continue }
                    if name.first == UInt8(ascii: ".") { result.skipped.append((path, "a hidden file: systemd-sysctl skips names starting with \".\"")); continue }
                case .procps:
                    // PreloadSystem: at least five bytes ending in ".conf" (".conf" itself and hidden files count).
                    guard name.count >= 5, Array(name.suffix(conf.count)) == conf else { continue }
                }
                if let winner = claimed[name] {
                    result.masked.append((path, winner.display))
                    continue
                }
                claimed[name] = (index, path)
                found.append((name, index))
            }
        }
        // Both sort by the file name with strcmp (systemd: base_cmp; procps: sortpairs).
        found.sort { $0.name.lexicographicallyPrecedes($1.name) }
        for (name, dirIndex) in found {
            let system = Array(applier.directories[dirIndex].utf8) + [UInt8(ascii: "/")] + name
            switch applier {
            case .systemd:
                result.files.append(File(name: name, system: system, displayPath: fs.root + system.displayText, node: fs.resolve(system), expandedFrom: nil))
            case .procps:
                result.appendProcps(name: name, dirIndex: dirIndex, directory: applier.directories[dirIndex],
                                    listing: listings[dirIndex] ?? [], fs: fs)
            }
        }
        if applier == .procps {
            // PreloadSystem: /etc/sysctl.conf last, when stat() (following symlinks) says it is a regular file.
            let system = Array("/etc/sysctl.conf".utf8)
            let node = fs.resolve(system)
            if case .file = node {
                result.files.append(File(name: Array("sysctl.conf".utf8), system: system, displayPath: fs.root + "/etc/sysctl.conf", node: node, expandedFrom: nil))
            }
        }
        return result
    }

    /// procps `Preload` passes each path to glob(3) with GLOB_NOCHECK | GLOB_BRACE | GLOB_TILDE: a file
    /// name holding `*`, `?` or `[` reads every file of its directory the name matches (sorted; hidden
    /// ones only if the pattern starts with "."), and a file that cannot be opened ends the expansion.
    mutating func appendProcps(name: [UInt8], dirIndex: Int, directory: String, listing: [[UInt8]], fs: RootFS) {
        let display = fs.root + directory + "/" + name.displayText
        let isPattern = name.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
        var expansion: [[UInt8]] = [name]
        if isPattern {
            let matches = listing.filter { entry in
                (name + [0]).withUnsafeBufferPointer { p in
                    (entry + [0]).withUnsafeBufferPointer { e in
                        fnmatch(UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: CChar.self),
                                UnsafeRawPointer(e.baseAddress!).assumingMemoryBound(to: CChar.self), FNM_PERIOD) == 0
                    }
                }
            }.sorted { $0.lexicographicallyPrecedes($1) }
            if !matches.isEmpty { expansion = matches }
        }
        for entry in expansion {
            let system = Array(directory.utf8) + [UInt8(ascii: "/")] + entry
            let node = fs.resolve(system)
            files.append(File(name: entry, system: system, displayPath: fs.root + system.displayText, node: node,
                              expandedFrom: isPattern ? display : nil))
            switch node {
            case .missing, .loop, .error, .special:
                // fopen fails: Preload returns at once, the rest of this expansion is not read.
                if isPattern && entry != expansion.last { stoppedExpansions.append(display) }
                return
            default: continue
            }
        }
    }
}
