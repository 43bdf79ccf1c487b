/// A unified diff of two files' lines (`diff -u` format, three lines of context), computed with Myers' algorithm.
enum UnifiedDiff {
    enum Op: Equatable { case equal(Int, Int), delete(Int), insert(Int) }

    /// The diff as text (bytes that are not UTF-8 shown as U+FFFD).
    static func render(path: String, old: LineText, new: LineText, context: Int = 3) -> String {
        String(decoding: bytes(path: path, old: old, new: new, context: context), as: UTF8.self)
    }

    /// `---`/`+++` headers naming `path`, then the hunks, byte for byte (lines twlint could not decode stay as they
    /// are, so `patch` applies the diff); empty when the texts are equal.
    static func bytes(path: String, old: LineText, new: LineText, context: Int = 3) -> [UInt8] {
        let a = zip(old.lines, old.terminators).map { $0 + $1 }
        let b = zip(new.lines, new.terminators).map { $0 + $1 }
        var aa = a, bb = b
        if !old.bom.isEmpty, !aa.isEmpty { aa[0] = old.bom + aa[0] }
        if !new.bom.isEmpty, !bb.isEmpty { bb[0] = new.bom + bb[0] }
        let ops = script(aa, bb)
        guard ops.contains(where: { if case .equal = $0 { return false } else { return true } }) else { return [] }
        var out = Array("--- \(path)\n+++ \(path)\n".utf8)
        func line(_ prefix: String, _ bytes: [UInt8]) {
            out += Array(prefix.utf8) + bytes
            if bytes.last != 0x0A { out += Array("\n\\ No newline at end of file\n".utf8) }
        }
        // Group changes that are at most 2·context equal lines apart.
        var index = 0
        while index < ops.count {
            guard let firstChange = ops[index...].firstIndex(where: { if case .equal = $0 { return false } else { return true } }) else { break }
            var lastChange = firstChange
            var k = firstChange + 1
            var equalRun = 0
            while k < ops.count {
                if case .equal = ops[k] {
                    equalRun += 1
                    if equalRun > 2 * context { break }
                } else {
                    lastChange = k
                    equalRun = 0
                }
                k += 1
            }
            let start = max(index, firstChange - context)
            let end = min(ops.count - 1, lastChange + context)
            var oldStart = 0, newStart = 0, oldCount = 0, newCount = 0
            var seenOld = false, seenNew = false
            // Line numbers: position in a and b at `start`.
            var ai = 0, bi = 0
            for op in ops[..<start] {
                switch op {
                case .equal: ai += 1; bi += 1
                case .delete: ai += 1
                case .insert: bi += 1
                }
            }
            var body: [UInt8] = []
            let saved = out
            out = []
            for op in ops[start...end] {
                switch op {
                case .equal(let i, _):
                    line(" ", aa[i]); oldCount += 1; newCount += 1
                    if !seenOld { seenOld = true }
                    if !seenNew { seenNew = true }
                case .delete(let i):
                    line("-", aa[i]); oldCount += 1; seenOld = true
                case .insert(let j):
                    line("+", bb[j]); newCount += 1; seenNew = true
                }
            }
            body = out
            out = saved
            oldStart = oldCount == 0 ? ai : ai + 1
            newStart = newCount == 0 ? bi : bi + 1
            func range(_ s: Int, _ c: Int) -> String { c == 1 ? "\(s)" : "\(s),\(c)" }
            out += Array("@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n".utf8) + body
            index = end + 1
        }
        return out
    }

    /// The shortest edit script from `a` to `b` (Myers 1986), after the common prefix and suffix.
    static func script(_ a: [[UInt8]], _ b: [[UInt8]]) -> [Op] {
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let n = a.count - prefix - suffix, m = b.count - prefix - suffix
        var ops: [Op] = (0..<prefix).map { .equal($0, $0) }
        ops += middle(a, b, offsetA: prefix, offsetB: prefix, n: n, m: m)
        ops += (0..<suffix).map { .equal(a.count - suffix + $0, b.count - suffix + $0) }
        return ops
    }

    private static func middle(_ a: [[UInt8]], _ b: [[UInt8]], offsetA: Int, offsetB: Int, n: Int, m: Int) -> [Op] {
        if n == 0 { return (0..<m).map { .insert(offsetB + $0) } }
        if m == 0 { return (0..<n).map { .delete(offsetA + $0) } }
        let maxD = n + m
        // Beyond this many differences the trace would cost too much memory: replace the block whole.
        let limit = min(maxD, max(64, 4_000_000 / (2 * maxD + 2)))
        let offset = maxD
        var v = [Int](repeating: 0, count: 2 * maxD + 2)
        var trace: [[Int]] = []
        var found = false
        outer: for d in 0...limit {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n && y < m && a[offsetA + x] == b[offsetB + y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n && y >= m { found = true; break outer }
            }
        }
        guard found else { return (0..<n).map { .delete(offsetA + $0) } + (0..<m).map { .insert(offsetB + $0) } }
        // Walk back through the trace.
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let prevK: Int
            if d == 0 {
                while x > 0 && y > 0 { ops.append(.equal(offsetA + x - 1, offsetB + y - 1)); x -= 1; y -= 1 }
                break
            }
            if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) { prevK = k + 1 } else { prevK = k - 1 }
            let prevX = v[offset + prevK]
            let prevY = prevX - prevK
            while x > prevX && y > prevY { ops.append(.equal(offsetA + x - 1, offsetB + y - 1)); x -= 1; y -= 1 }
            if x == prevX { ops.append(.insert(offsetB + y - 1)) } else { ops.append(.delete(offsetA + x - 1)) }
            x = prevX; y = prevY
        }
        return ops.reversed()
    }
}
