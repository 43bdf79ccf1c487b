import Plot

/// SVG pictures for the site, drawn from data (the kb's defaults and twlint's own directory list) with Plot's
/// XML nodes, so text in them is escaped like the pages. The facts drawn are the ones the kb states with
/// references on the topic pages they illustrate.
struct DocsDiagram {
    let path: String
    let svg: String
    let alt: String
    let caption: String
    /// Topic ids whose pages show the picture; empty: the index page shows it.
    let topics: [String]
}

enum DocsDiagrams {
    typealias S = Node<XML.DocumentContext>

    static func all(kb: KnowledgeBase) -> [DocsDiagram] {
        [closeSequence(kb: kb), portRange(kb: kb), sysctlOrder()]
    }

    // MARK: Primitives

    static func el(_ name: String, _ attrs: [(String, String)], _ children: [S] = []) -> S {
        .element(named: name, nodes: attrs.map { S.attribute(named: $0.0, value: attributeEscaped($0.1)) } + children)
    }

    static func text(_ x: Double, _ y: Double, _ s: String, size: Int = 13, anchor: String = "start",
                     weight: String = "normal", fill: String = "#1d2329") -> S {
        el("text", [("x", n(x)), ("y", n(y)), ("font-size", "\(size)"), ("text-anchor", anchor),
                    ("font-weight", weight), ("fill", fill)], [.txt(s)])
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#1d2329",
                     width: Double = 1.5, dash: String? = nil, arrow: Bool = false) -> S {
        var a = [("x1", n(x1)), ("y1", n(y1)), ("x2", n(x2)), ("y2", n(y2)), ("stroke", stroke), ("stroke-width", n(width))]
        if let dash { a.append(("stroke-dasharray", dash)) }
        if arrow { a.append(("marker-end", "url(#arrow)")) }
        return el("line", a)
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String = "none", rx: Double = 3) -> S {
        el("rect", [("x", n(x)), ("y", n(y)), ("width", n(w)), ("height", n(h)), ("fill", fill), ("stroke", stroke), ("rx", n(rx))])
    }

    static func n(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }

    static func svg(width: Int, height: Int, title: String, _ children: [S]) -> String {
        let defs = el("defs", [], [
            el("marker", [("id", "arrow"), ("viewBox", "0 0 10 10"), ("refX", "9"), ("refY", "5"),
                          ("markerWidth", "7"), ("markerHeight", "7"), ("orient", "auto-start-reverse")],
               [el("path", [("d", "M 0 0 L 10 5 L 0 10 z"), ("fill", "#1d2329")])]),
        ])
        let root = el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("width", "\(width)"), ("height", "\(height)"),
                              ("viewBox", "0 0 \(width) \(height)"), ("font-family", "sans-serif"), ("role", "img")],
                      [el("title", [], [.txt(title)]), defs, rect(0, 0, Double(width), Double(height), fill: "#ffffff", rx: 0)] + children)
        return XML(root).render() + "\n"
    }

    // MARK: TCP close with TIME_WAIT

    static func closeSequence(kb: KnowledgeBase) -> DocsDiagram {
        let finTimeout = kb.parameter(named: "net.ipv4.tcp_fin_timeout")?.typicalDefault(for: .newestKnown) ?? "60"
        let W = 900.0, left = 300.0, right = 640.0
        var c: [S] = [
            text(left, 28, "Active closer (calls close() first)", size: 14, anchor: "middle", weight: "bold"),
            text(right, 28, "Passive closer", size: 14, anchor: "middle", weight: "bold"),
            line(left, 40, left, 420, stroke: "#8a949e"), line(right, 40, right, 420, stroke: "#8a949e"),
        ]
        // Segments: (y from, y to, from left?, label)
        let segments: [(Double, Double, Bool, String)] = [
            (70, 100, true, "FIN"), (110, 140, false, "ACK"), (190, 220, false, "FIN"), (230, 260, true, "ACK"),
        ]
        for s in segments {
            let (x1, x2) = s.2 ? (left, right) : (right, left)
            c.append(line(x1, s.0, x2, s.1, arrow: true))
            c.append(text((left + right) / 2, (s.0 + s.1) / 2 - 6, s.3, size: 12, anchor: "middle", weight: "bold"))
        }
        func state(_ x: Double, _ y: Double, _ name: String, anchor: String) -> S {
            text(anchor == "end" ? x - 10 : x + 10, y, name, size: 12, anchor: anchor, fill: "#0b5cad")
        }
        c += [
            state(left, 54, "ESTABLISHED", anchor: "end"), state(left, 100, "FIN_WAIT_1", anchor: "end"),
            state(left, 150, "FIN_WAIT_2 (orphaned: tcp_fin_timeout \(finTimeout) s)", anchor: "end"),
            state(right, 54, "ESTABLISHED", anchor: "start"), state(right, 112, "CLOSE_WAIT", anchor: "start"),
            state(right, 196, "LAST_ACK", anchor: "start"), state(right, 272, "CLOSED", anchor: "start"),
        ]
        // TIME_WAIT bar: 60 s, fixed in the kernel (TCP_TIMEWAIT_LEN), not a sysctl.
        c.append(rect(left - 14, 222, 28, 170, fill: "#f0c36d"))
        c.append(text(left - 22, 300, "TIME_WAIT", size: 13, anchor: "end", weight: "bold"))
        c.append(text(left - 22, 316, "60 s (TCP_TIMEWAIT_LEN,", size: 11, anchor: "end"))
        c.append(text(left - 22, 330, "not a sysctl)", size: 11, anchor: "end"))
        c.append(state(left, 410, "CLOSED", anchor: "end"))
        // Where it is cut short.
        let cuts: [(Double, String)] = [
            (64.5, "A: SO_LINGER on with l_linger 0, or close() with unread data: RST instead of FIN, no TIME_WAIT"),
            (300, "B: an in-window RST arrives in TIME_WAIT: the socket is killed unless tcp_rfc1337 = 1"),
            (350, "C: tcp_tw_reuse lets a new outgoing connect() take over the 4-tuple (needs timestamps; after a short delay)"),
            (392, "D: tcp_max_tw_buckets full: no TIME_WAIT socket at all (TCPTimeWaitOverflow)"),
        ]
        for (i, cut) in cuts.enumerated() {
            let x = i == 0 ? left + 10 : left + 14
            c.append(line(x, cut.0, right + 130, cut.0, stroke: "#b3261e", width: 1.2, dash: "4 3"))
            c.append(el("circle", [("cx", n(x)), ("cy", n(cut.0)), ("r", "4"), ("fill", "#b3261e")]))
            c.append(text(right + 136, cut.0 + 4, String(cut.1.prefix(1)), size: 13, weight: "bold", fill: "#b3261e"))
        }
        for (i, cut) in cuts.enumerated() {
            c.append(text(20, 450 + Double(i) * 18, cut.1, size: 12, fill: "#b3261e"))
        }
        return DocsDiagram(
            path: "img/tcp-close-time-wait.svg",
            svg: svg(width: Int(W), height: 530, title: "TCP close sequence with TIME_WAIT and the RST conditions that cut it short", c),
            alt: "Sequence diagram: FIN, ACK, FIN, ACK between the active and passive closer; the active closer holds TIME_WAIT for 60 seconds; four marks show where an abortive close, an RST, tcp_tw_reuse or the bucket limit end it early.",
            caption: "The four-segment close. The side that closes first holds TIME_WAIT for 60 s; A–D mark where it is skipped or ended early.",
            topics: ["time-wait", "rst-conditions", "so-linger"])
    }

    // MARK: Port range arithmetic

    static func portRange(kb: KnowledgeBase) -> DocsDiagram {
        let fields = (kb.parameter(named: "net.ipv4.ip_local_port_range")?.typicalDefault(for: .newestKnown) ?? "32768 60999")
            .split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Int($0) }
        let lo = fields.first ?? 32768, hi = fields.count > 1 ? fields[1] : 60999
        let usable = hi - lo + 1
        let timeWait = 60
        let rate = Double(usable) / Double(timeWait)
        let x0 = 40.0, x1 = 800.0
        func x(_ port: Int) -> Double { x0 + (x1 - x0) * Double(port) / 65535 }
        var c: [S] = [
            text(20, 28, "Ephemeral ports with net.ipv4.ip_local_port_range = \(lo) \(hi)", size: 15, weight: "bold"),
            rect(x0, 60, x1 - x0, 34, fill: "#e6e9ed", stroke: "#8a949e"),
            rect(x(0), 60, x(1024) - x(0), 34, fill: "#c9ced4"),
            rect(x(lo), 60, x(hi + 1) - x(lo), 34, fill: "#8fc1e8", stroke: "#0b5cad"),
            text(x(0), 112, "0", size: 11), text(x(1024), 54, "1024", size: 11, anchor: "middle"),
            text(x(lo), 112, "\(lo)", size: 11, anchor: "middle"), text(x(hi), 112, "\(hi)", size: 11, anchor: "middle"),
            text(x1, 112, "65535", size: 11, anchor: "end"),
            text((x(lo) + x(hi)) / 2, 82, "\(usable) ports", size: 13, anchor: "middle", weight: "bold"),
            text(x(512), 82, "privileged", size: 11, anchor: "middle"),
        ]
        let lines = [
            "usable ports = \(hi) − \(lo) + 1 = \(usable)  (minus net.ipv4.ip_local_reserved_ports)",
            "per destination (source address, destination address, destination port): at most \(usable) connections at once",
            "client closes first: each port waits \(timeWait) s in TIME_WAIT, so new connections to one destination ≤ \(usable) / \(timeWait) s ≈ \(Int(rate.rounded(.down))) per second",
            "a different destination has its own pool: the same port may be in use towards many servers",
        ]
        for (i, l) in lines.enumerated() { c.append(text(20, 170 + Double(i) * 22, l, size: 13)) }
        return DocsDiagram(
            path: "img/port-range.svg",
            svg: svg(width: 840, height: 270, title: "Ephemeral port range arithmetic", c),
            alt: "The port space 0 to 65535 with the ephemeral range \(lo) to \(hi) highlighted: \(usable) usable ports, about \(Int(rate.rounded(.down))) new connections per second to one destination with a 60 second TIME_WAIT.",
            caption: "The default range gives \(usable) ports per destination; with TIME_WAIT held by the client that is about \(Int(rate.rounded(.down))) new connections a second to one ip:port.",
            topics: ["ephemeral-ports", "time-wait"])
    }

    // MARK: sysctl.d resolution

    static func sysctlOrder() -> DocsDiagram {
        // procps reads every directory systemd-sysctl reads, and /lib/sysctl.d (Apply/Applier.swift).
        let dirs = Applier.procps.directories
        var c: [S] = [text(20, 28, "How the sysctl.d files are chosen and applied", size: 15, weight: "bold")]
        // Example files: the same name in /etc masks the one in /usr/lib.
        let files: [(dir: Int, name: String, masked: Bool)] = [
            (0, "50-net.conf", false), (0, "99-local.conf", false), (1, "60-run.conf", false),
            (3, "50-net.conf", true), (3, "10-default.conf", false),
        ]
        for (i, d) in dirs.enumerated() {
            let y = 60 + Double(i) * 44
            c.append(rect(20, y, 230, 32, fill: i == 0 ? "#dbeafb" : "#eef1f4", stroke: "#8a949e"))
            c.append(text(30, y + 21, "\(i + 1). \(d)", size: 13, weight: "bold"))
            var x = 270.0
            for f in files where f.dir == i {
                c.append(rect(x, y + 2, 140, 28, fill: f.masked ? "#f4f4f4" : "#ffffff", stroke: f.masked ? "#b3261e" : "#0b5cad"))
                c.append(text(x + 70, y + 21, f.name, size: 12, anchor: "middle", fill: f.masked ? "#b3261e" : "#1d2329"))
                if f.masked { c.append(line(x + 4, y + 16, x + 136, y + 16, stroke: "#b3261e", width: 1.5)) }
                x += 150
            }
        }
        let yList = 60 + Double(dirs.count) * 44 + 14
        c.append(text(20, yList, "1. A file name found in an earlier directory masks the same name in every later one (crossed out).", size: 12))
        c.append(text(20, yList + 20, "2. The remaining files are applied in order of file name, whatever their directory:", size: 12))
        c.append(text(40, yList + 40, "10-default.conf → 50-net.conf (/etc) → 60-run.conf → 99-local.conf; a later assignment of a key wins.", size: 12, fill: "#0b5cad"))
        c.append(text(20, yList + 60, "3. procps sysctl --system then applies /etc/sysctl.conf last; systemd-sysctl does not read it (nor /lib/sysctl.d).", size: 12))
        return DocsDiagram(
            path: "img/sysctl-d-order.svg",
            svg: svg(width: 860, height: Int(yList) + 80, title: "sysctl.d resolution order with masking", c),
            alt: "The sysctl.d directories in priority order; a file in /etc/sysctl.d masks the file of the same name in /usr/lib/sysctl.d; the remaining files are applied sorted by name.",
            caption: "sysctl.d resolution: masking by file name across directories, then application in file-name order (twlint lint --system models this).",
            topics: [])
    }
}
