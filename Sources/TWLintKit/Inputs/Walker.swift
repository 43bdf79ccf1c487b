import Foundation

/// A shell-style glob: `*` and `?` stay within one path component, `**` crosses them, `[...]` is a class.
/// A pattern without `/` matches a file or directory name anywhere below its base; one with `/` matches the
/// path relative to its base (a leading `/` only anchors it).
public struct Glob: Sendable, Equatable {
    public let pattern: String
    /// The directory the pattern is relative to (absolute, standardised).
    public let base: String
    let regex: NSRegularExpression
    let matchesName: Bool

    public static func == (a: Glob, b: Glob) -> Bool { a.pattern == b.pattern && a.base == b.base }

    public init?(_ pattern: String, base: String) {
        var p = pattern
        matchesName = !p.contains("/") || (p.hasSuffix("/") && !p.dropLast().contains("/"))
        if p.hasPrefix("/") { p.removeFirst() }
        if p.hasSuffix("/") { p.removeLast() }
        guard !p.isEmpty, let regex = try? NSRegularExpression(pattern: "^" + Glob.regex(p) + "$") else { return nil }
        self.pattern = pattern
        self.base = InputWalker.absolute(base)
        self.regex = regex
    }

    static func regex(_ glob: String) -> String {
        var out = ""
        let chars = Array(glob)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "*":
                if i + 1 < chars.count, chars[i + 1] == "*" {
                    let slashAfter = i + 2 < chars.count && chars[i + 2] == "/"
                    out += slashAfter ? "(?:.*/)?" : ".*"
                    i += slashAfter ? 3 : 2
                    continue
                }
                out += "[^/]*"
            case "?": out += "[^/]"
            case "[":
                if let close = chars[(i + 1)...].firstIndex(of: "]"), close > i + 1 {
                    var cls = String(chars[(i + 1)..<close])
                    if cls.hasPrefix("!") { cls = "^" + cls.dropFirst() }
                    out += "[" + cls.replacingOccurrences(of: "\\", with: "\\\\") + "]"
                    i = close + 1
                    continue
                }
                out += "\\["
            case "\\" where i + 1 < chars.count:
                out += NSRegularExpression.escapedPattern(for: String(chars[i + 1]))
                i += 2
                continue
            default:
                out += NSRegularExpression.escapedPattern(for: String(c))
            }
            i += 1
        }
        return out
    }

    func whole(_ s: String) -> Bool {
        regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    /// Whether an absolute path matches: its name (for name patterns) or its path below `base`.
    public func matches(absolutePath path: String) -> Bool {
        if matchesName { return whole((path as NSString).lastPathComponent) }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        guard path.hasPrefix(prefix) else { return false }
        return whole(String(path.dropFirst(prefix.count)))
    }
}

/// What a directory walk takes and leaves.
public struct WalkOptions: Sendable, Equatable {
    /// Paths (files or directories) left out of a walk.
    public var exclude: [Glob] = []
    /// Files walked beyond the default `*.conf`, `*.yaml`, `*.yml`, `*.json`.
    public var include: [Glob] = []
    /// Ask git for the files of a work tree (tracked plus untracked, without what .gitignore ignores); when false,
    /// or when git is absent or the directory is not in a work tree, .gitignore files are read by twlint itself.
    public var useGit = true
    /// Files named on the command line are treated like walked ones (`--force-exclude`, for pre-commit, which
    /// names every file itself): excludes apply, and YAML that is no manifest is passed over.
    public var forceExclude = false

    public init(exclude: [Glob] = [], include: [Glob] = [], useGit: Bool = true) {
        self.exclude = exclude
        self.include = include
        self.useGit = useGit
    }
}

/// Expands a path argument into the files to lint, the way linters walk a repository: hidden directories and
/// dependency/build output are skipped, .gitignore is honoured (by git's own rules when git is there), and
/// `exclude`/`include` globs apply. A file named directly is always linted.
public enum InputWalker {
    /// Directory names never entered in a walk (besides hidden ones): dependencies and build output.
    public static let skippedDirectories: Set<String> = ["node_modules", "vendor", "__pycache__", "venv", "target", "DerivedData"]
    static let defaultExtensions: Set<String> = ["conf", "yaml", "yml", "json"]

    /// The files found, and the subdirectories that could not be listed (each a located TW907).
    public struct Walk: Sendable {
        public var files: [String] = []
        public var problems: [InputProblem] = []
        /// The files an `include` glob matched: the user declared them inputs, so they are read like named files
        /// (a `.conf` one as sysctl without the walk's content check), except that a FIFO is never opened.
        public var included: Set<String> = []
    }

    /// Directory levels followed below an argument; deeper trees are reported, not walked.
    static let maxDepth = 64

    static func unreadable(_ path: String, _ detail: String, loop: Bool = false) -> InputProblem {
        InputProblem(code: loop ? "TW908" : "TW907", location: SourceLocation(path: path, line: 0), detail: detail, unreadable: true)
    }

    public static func files(at path: String, options: WalkOptions = WalkOptions()) -> Result<Walk, InputProblem> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let failure = FileReader.describe(errno: errno)
            return .failure(unreadable(path, failure.detail, loop: failure.loop))
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            if options.forceExclude {
                // As in a walk: hidden and dependency/build directories on the path as given, and the excludes.
                let directories = path.split(separator: "/").dropLast().map(String.init).filter { $0 != "." && $0 != ".." }
                if directories.contains(where: { $0.hasPrefix(".") || skippedDirectories.contains($0) })
                    || options.exclude.contains(where: { g in ancestry(absolute(path)).contains { g.matches(absolutePath: $0) } }) {
                    return .success(Walk())
                }
            }
            return .success(Walk(files: [path]))
        }
        var walk = Walk()
        let candidates: [String]
        if options.useGit, let listed = gitFiles(in: path) {
            candidates = listed
        } else {
            // The argument itself must be listable: an unreadable directory is an error, not "no findings".
            switch walkFiles(in: path) {
            case .failure(let problem): return .failure(problem)
            case .success(let found):
                candidates = found.files
                walk.problems = found.problems
            }
        }
        let root = absolute(path)
        for relative in candidates {
            let components = relative.split(separator: "/").map(String.init)
            guard let name = components.last else { continue }
            // Hidden or skipped directories on the way down.
            if components.dropLast().contains(where: { $0.hasPrefix(".") || skippedDirectories.contains($0) }) { continue }
            var excluded = false
            var prefix = root
            for c in components {
                prefix += "/" + c
                if options.exclude.contains(where: { $0.matches(absolutePath: prefix) }) { excluded = true; break }
            }
            if excluded { continue }
            let full = prefix
            let included = options.include.contains { $0.matches(absolutePath: full) }
            let wanted = (!name.hasPrefix(".") && defaultExtensions.contains((name as NSString).pathExtension.lowercased()))
                || included
                || (!name.hasPrefix(".") && LingerInputs.walks(relative, in: path))
            if wanted {
                let file = (path as NSString).appendingPathComponent(relative)
                walk.files.append(file)
                if included { walk.included.insert(file) }
            }
        }
        walk.files.sort()
        return .success(walk)
    }

    /// The path and its parent directories, deepest last.
    static func ancestry(_ absolutePath: String) -> [String] {
        var out: [String] = []
        var prefix = ""
        for c in absolutePath.split(separator: "/") {
            prefix += "/" + c
            out.append(prefix)
        }
        return out
    }

    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        let s = (full as NSString).standardizingPath
        return s.count > 1 && s.hasSuffix("/") ? String(s.dropLast()) : s
    }

    /// Runs git (found on PATH) in `directory`: its exit status and standard output, nil when git cannot run.
    static func git(_ arguments: [String], in directory: String) -> (status: Int32, output: Data)? {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard let git = searchPath.split(separator: ":").map({ $0 + "/git" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: git)
        process.arguments = ["-C", directory] + arguments
        var env = ProcessInfo.processInfo.environment
        env["GIT_OPTIONAL_LOCKS"] = "0"
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    /// `git ls-files -co --exclude-standard -z` in the directory: nil when git is absent, this is no work tree, or
    /// the directory named is itself ignored (git lists nothing in it; the fallback walk then reads it, honouring
    /// the .gitignore files inside it, since a directory named on the command line is always walked).
    static func gitFiles(in directory: String) -> [String]? {
        guard let (status, data) = git(["ls-files", "-co", "--exclude-standard", "-z", "--", "."], in: directory), status == 0 else { return nil }
        if data.isEmpty, let (ignored, _) = git(["check-ignore", "-q", "."], in: directory), ignored == 0 { return nil }
        // ls-files lists tracked files that were deleted from the work tree too.
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.filter {
            var dir: ObjCBool = false
            let full = (directory as NSString).appendingPathComponent($0)
            return FileManager.default.fileExists(atPath: full, isDirectory: &dir) && !dir.boolValue
        }
    }

    /// Without git: a walk that skips hidden and build directories and reads .gitignore files on the way down
    /// (in this directory and the ones below it). Paths relative to `directory`. Symlinked directories are not
    /// followed (git does not either); a subdirectory that cannot be listed, or lies deeper than `maxDepth` or
    /// near PATH_MAX, is a located problem and the walk goes on; the directory itself unlistable is a failure.
    static func walkFiles(in directory: String) -> Result<Walk, InputProblem> {
        var walk = Walk()
        func names(in dir: String) -> Result<[String], InputProblem> {
            guard let handle = opendir(dir) else {
                return .failure(unreadable(dir, "cannot list the directory (\(FileReader.describe(errno: errno).detail))"))
            }
            var names: [String] = []
            errno = 0
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            let listError = errno
            closedir(handle)
            if listError != 0 && listError != ENOENT {
                return .failure(unreadable(dir, "listing the directory failed part way (\(String(cString: strerror(listError))))"))
            }
            return .success(names.sorted())
        }
        func visit(_ relative: String, depth: Int, _ ignores: [GitIgnore]) -> InputProblem? {
            let dir = relative.isEmpty ? directory : (directory as NSString).appendingPathComponent(relative)
            guard dir.utf8.count < Int(PATH_MAX) - 256 else {
                return unreadable(dir, "the directory is nested too deep: its path reaches the system's PATH_MAX; not walked")
            }
            guard depth <= maxDepth else {
                return unreadable(dir, "the directory is nested more than \(maxDepth) levels below the argument; not walked")
            }
            let entries: [String]
            switch names(in: dir) {
            case .failure(let problem): return problem
            case .success(let n): entries = n
            }
            var ignores = ignores
            if entries.contains(".gitignore"), case .success(let data) = FileReader.read((dir as NSString).appendingPathComponent(".gitignore"), limit: 1 << 20) {
                ignores.append(GitIgnore(text: String(decoding: data, as: UTF8.self), base: relative))
            }
            for name in entries {
                let rel = relative.isEmpty ? name : relative + "/" + name
                let full = (dir as NSString).appendingPathComponent(name)
                var info = stat()
                guard lstat(full, &info) == 0 else { continue }
                var type = info.st_mode & S_IFMT
                if type == S_IFLNK {
                    // A symlinked file is read (through the reader's checks); a symlinked directory is not entered.
                    guard stat(full, &info) == 0 else { walk.files.append(rel); continue }
                    type = info.st_mode & S_IFMT
                    if type == S_IFDIR { continue }
                }
                let isDirectory = type == S_IFDIR
                if isDirectory && (name.hasPrefix(".") || skippedDirectories.contains(name)) { continue }
                if GitIgnore.ignored(rel, isDirectory: isDirectory, by: ignores) { continue }
                if isDirectory {
                    if let problem = visit(rel, depth: depth + 1, ignores) { walk.problems.append(problem) }
                } else {
                    // Special files are kept: the reader refuses them with a located finding, without blocking.
                    walk.files.append(rel)
                }
            }
            return nil
        }
        if let problem = visit("", depth: 0, []) { return .failure(problem) }
        return .success(walk)
    }
}

/// One .gitignore file, read with the rules gitignore(5) gives: blank lines and `#` comments skipped, `!`
/// re-includes, a trailing `/` matches directories only, a `/` elsewhere anchors the pattern to the file's
/// directory, otherwise it matches a name at any depth; the last matching pattern decides. As in git, a file
/// inside an ignored directory cannot be re-included (the directory is not entered).
struct GitIgnore {
    struct Pattern {
        let regex: NSRegularExpression
        let negated: Bool
        let directoryOnly: Bool
        let anchored: Bool
    }
    let base: String
    let patterns: [Pattern]

    init(text: String, base: String) {
        self.base = base
        var patterns: [Pattern] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            // Trailing spaces are ignored unless escaped.
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            var negated = false
            if line.hasPrefix("!") { negated = true; line.removeFirst() } else if line.hasPrefix("\\!") || line.hasPrefix("\\#") { line.removeFirst() }
            var directoryOnly = false
            if line.hasSuffix("/") { directoryOnly = true; line.removeLast() }
            let anchored = line.contains("/")
            if line.hasPrefix("/") { line.removeFirst() }
            guard !line.isEmpty, let regex = try? NSRegularExpression(pattern: "^" + Glob.regex(line) + "$") else { continue }
            patterns.append(Pattern(regex: regex, negated: negated, directoryOnly: directoryOnly, anchored: anchored))
        }
        self.patterns = patterns
    }

    /// nil: no pattern matches; true: ignored; false: re-included.
    func decision(_ relative: String, isDirectory: Bool) -> Bool? {
        let prefix = base.isEmpty ? "" : base + "/"
        guard relative.hasPrefix(prefix) else { return nil }
        let local = String(relative.dropFirst(prefix.count))
        let name = (local as NSString).lastPathComponent
        var result: Bool?
        for p in patterns {
            if p.directoryOnly && !isDirectory { continue }
            let subject = p.anchored ? local : name
            if p.regex.firstMatch(in: subject, range: NSRange(subject.startIndex..., in: subject)) != nil { result = !p.negated }
        }
        return result
    }

    /// Deeper .gitignore files take precedence over shallower ones.
    static func ignored(_ relative: String, isDirectory: Bool, by ignores: [GitIgnore]) -> Bool {
        for g in ignores.reversed() {
            if let d = g.decision(relative, isDirectory: isDirectory) { return d }
        }
        return false
    }
}
