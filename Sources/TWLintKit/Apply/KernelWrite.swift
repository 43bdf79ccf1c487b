import Foundation

/// What the kernel does with a write to /proc/sys/KEY: the one place in twlint that says how text becomes a value.
///
/// Modelled on Linux 6.18 (kernel/sysctl.c, lib/kstrtox.c, lib/ctype.c, net/ipv4/sysctl_net_ipv4.c,
/// net/ipv4/tcp_cong.c); which handler a key has, its element count and bounds come from
/// kb/catalog/handlers.xml (scripts/gen-handlers.py). The model is checked against the running kernel by
/// Tests/TWLintKitTests/KernelWriteOracleTests.swift. It describes one write(2) of `written` at offset 0 with
/// kernel.sysctl_writes_strict = 1 (the default since 5.x).
///
/// The integer parsers share one reader, `proc_get_long()`:
///   * leading white space is skipped (`isspace()` of lib/ctype.c: space, \t, \n, \v, \f, \r and byte 0xA0);
///   * one `-` is taken as a sign; `+` is not a sign, so `+7200` is EINVAL;
///   * then a digit must follow (`--1`, `-x` are EINVAL); the base is detected as `kstrtoul(…, 0)` does:
///     `0x` followed by a hex digit is hexadecimal, another leading `0` is octal (`08` stops after the `0`),
///     anything else decimal; a value beyond 2^64 − 1 is EINVAL;
///   * at most 21 bytes are looked at: a number that fills them is EINVAL;
///   * the number must be followed by the end of the text, a space, a tab or a newline; anything else
///     (`1#c`, `1\r`, `0x-1`, `12abc`) is EINVAL;
///   * after the last element the rest of the text is not parsed: `1 # comment` and `1 2` written to a
///     one-element sysctl set 1 (the write(2) returns a short count; a retry of the rest at a non-zero
///     offset is ignored).
public enum KernelWrite {
    public enum Outcome: Equatable, Sendable {
        /// The write succeeded; `held` is what /proc/sys prints afterwards (without the final newline).
        case accepted(held: String)
        /// The write failed with `errno`; the previous value stays.
        case rejected(errno: Int32, reason: String)
        /// The write failed with `errno` after the first elements of a vector were already stored
        /// (`__do_proc_dointvec` stores element by element): `held` is what /proc/sys prints afterwards.
        case partial(held: String, errno: Int32, reason: String)

        /// The value in force afterwards: the new one, or `current` when the write was rejected.
        public func held(current: String?) -> String? {
            switch self {
            case .accepted(let held), .partial(let held, _, _): return held
            case .rejected: return current
            }
        }

        public var isAccepted: Bool { if case .accepted = self { return true } else { return false } }
        public var errno: Int32? {
            switch self {
            case .accepted: return nil
            case .rejected(let e, _), .partial(_, let e, _): return e
            }
        }
        public var reason: String? {
            switch self {
            case .accepted: return nil
            case .rejected(_, let r), .partial(_, _, let r): return r
            }
        }
    }

    public static let EINVAL: Int32 = 22
    public static let ENOENT: Int32 = 2
    public static let EPERM: Int32 = 1
    public static let EACCES: Int32 = 13

    /// The symbolic name of an errno the model returns.
    public static func errnoName(_ e: Int32) -> String {
        switch e {
        case 1: return "EPERM"
        case 2: return "ENOENT"
        case 13: return "EACCES"
        case 16: return "EBUSY"
        case 22: return "EINVAL"
        case 34: return "ERANGE"
        default: return "errno \(e)"
        }
    }

    /// Whether a port range text passes the parse and the 1…65535 bounds but fails ipv4_local_port_range()'s own
    /// checks (high below low, or low below ip_unprivileged_port_start), which TW201 and TW202 describe.
    public static func portRangeFailsOnlyItsCrossChecks(_ value: String) -> Bool {
        let tmp = KernelHandler(key: "net.ipv4.ip_local_port_range", handler: "proc_dointvec_minmax", kind: .int, count: 2, min: .value(1), max: .value(65535))
        if case .accepted = intVector(tmp, Array((value + "\n").utf8), "32768\t60999", Context()) { return true }
        return false
    }

    /// CONFIG_HZ when nothing says otherwise: the Kconfig default (kernel/Kconfig.hz, `default HZ_250`).
    public static let defaultHZ = 250
    /// USER_HZ on every architecture twlint targets (include/asm-generic/param.h).
    static let userHZ = 100

    /// Facts about the target the model needs beyond the key itself.
    public struct Context: Sendable {
        /// CONFIG_HZ: jiffies conversions and bounds such as `UINT_MAX / HZ`.
        public var hz: Int
        /// The value of another sysctl in the same namespace (`net.ipv4.ip_unprivileged_port_start` for the
        /// port range check, `net.ipv4.tcp_available_congestion_control`), when known.
        public var value: @Sendable (String) -> String?
        /// Whether the write happens in the initial network namespace (a restricted congestion control can
        /// only be made the default there).
        public var initialNamespace: Bool

        public init(hz: Int = KernelWrite.defaultHZ, initialNamespace: Bool = true, value: @escaping @Sendable (String) -> String? = { _ in nil }) {
            self.hz = hz
            self.value = value
            self.initialNamespace = initialNamespace
        }
    }

    /// The outcome of writing `written` (the exact bytes, e.g. `"1 # c\n"`) to `key`, whose value is `current`
    /// (as /proc/sys prints it; nil when unknown: the kb default is used where one is needed).
    public static func write(key: String, written: String, current: String?, kb: KnowledgeBase) -> Outcome {
        write(key: key, written: Array(written.utf8), current: current, kb: kb, context: Context())
    }

    public static func write(key: String, written: String, current: String?, kb: KnowledgeBase, context: Context) -> Outcome {
        write(key: key, written: Array(written.utf8), current: current, kb: kb, context: context)
    }

    public static func write(key: String, written: [UInt8], current: String?, kb: KnowledgeBase, context: Context) -> Outcome {
        let current = current ?? defaultValue(key: key, kb: kb)
        let handler = kb.handlers.handler(for: key)?.instantiated(key: key) ?? fallbackHandler(key: key, current: current, kb: kb)
        return write(handler: handler, written: written, current: current, kb: kb, context: context)
    }

    /// The handler twlint assumes for a key the handler catalog does not list (it covers the net tables only):
    /// numbers read by proc_get_long() with no range of their own (int, unsigned long: the element type is not
    /// known, so any 64-bit value passes), as many as the current value or the kb type has; else a string.
    /// Not from kernel source: the parser is `assumed`.
    static func fallbackHandler(key: String, current: String?, kb: KnowledgeBase) -> KernelHandler {
        let p = kb.parameter(for: key)
        if p?.type == .string { return KernelHandler(key: key, handler: "assumed", parser: "proc_dostring", kind: .string, maxlen: 4096) }
        let fields = (current ?? "").sysctlFields
        if let current, !fields.isEmpty, !fields.allSatisfy({ KernelInteger.parse(Array($0.utf8)) != nil }) || current.isEmpty {
            return KernelHandler(key: key, handler: "assumed", parser: "proc_dostring", kind: .string, maxlen: 4096)
        }
        let count = p?.type == .intPair ? 2 : (p?.count ?? Swift.max(fields.count, 1))
        return KernelHandler(key: key, handler: "assumed", parser: "assumed", kind: .int, count: count)
    }

    /// Handlers whose write the model does not describe (yet), with the reason; `write` still answers for them
    /// with its best approximation.
    public static func unmodelled(_ h: KernelHandler, initialNamespace: Bool = true) -> String? {
        if h.readOnlyOutsideInitialNamespace && !initialNamespace { return nil }
        if h.handler == "neigh_proc_dointvec_ms_jiffies_positive" || h.handler == "addrconf_sysctl_mtu" { return nil }
        if h.kind == .unknown { return "handler \(h.handler) is not traced to a generic parser" }
        if let b = h.unresolvedBound { return "bound \(b) depends on structure sizes, not on source constants" }
        switch h.handler {
        case "addrconf_sysctl_stable_secret": return "stable_secret takes an IPv6 address (in6_pton), not modelled"
        default: return nil
        }
    }

    static func defaultValue(key: String, kb: KnowledgeBase) -> String? {
        kb.parameter(for: key)?.defaults.first?.value
    }

    // MARK: - Dispatch

    static func write(handler unresolved: KernelHandler, written: [UInt8], current: String?, kb: KnowledgeBase, context: Context) -> Outcome {
        // Opening the file for writing fails with EACCES when its mode has no write bit (proc_sys_permission()).
        if unresolved.readOnly { return .rejected(errno: EACCES, reason: "the sysctl is read-only") }
        if unresolved.readOnlyOutsideInitialNamespace && !context.initialNamespace {
            return .rejected(errno: EACCES, reason: "the sysctl is read-only outside the initial network namespace (\(unresolved.file))")
        }
        let h = resolvingKeyBounds(unresolved, kb: kb, context: context)
        // proc_sys_call_handler() (fs/proc/proc_sysctl.c): a write of zero bytes returns 0 without calling the handler.
        if written.isEmpty { return .accepted(held: current ?? "") }
        switch h.handler {
        case "ipv4_local_port_range": return localPortRange(h, written, current, context)
        case "ipv4_privileged_ports": return privilegedPorts(h, written, current, context)
        case "ipv4_ping_group_range": return pingGroupRange(h, written, current, context)
        case "proc_tcp_congestion_control": return congestionControl(h, written, current, context)
        case "set_default_qdisc": return defaultQdisc(h, written)
        case "nf_hooks_lwtunnel_sysctl_handler": return lwtunnelHooks(h, written, current, context)
        case "addrconf_sysctl_addr_gen_mode": return addrGenMode(h, written, current, context)
        case "proc_tcp_fastopen_key": return fastopenKey(written)
        default: break
        }
        switch h.kind {
        case .int, .bool: return intVector(h, written, current, context)
        case .uint, .u8: return uintScalar(h, written, current, context)
        case .ulong: return ulongVector(h, written, current, context)
        case .string:
            let s = stringValue(written, maxlen: h.maxlen ?? 4096)
            return .accepted(held: s)
        case .bitmap: return largeBitmap(h, written, current, bits: h.maxlen ?? 65536)
        case .unknown:
            return .accepted(held: String(decoding: written, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// A bound that is another sysctl's value (`min-key`, `max-key`: the registration code points extra1/extra2 at
    /// that sysctl's data, e.g. ip4_frags_ns_ctl_register()) becomes a number: the context's value, else the kb default.
    static func resolvingKeyBounds(_ h: KernelHandler, kb: KnowledgeBase, context: Context) -> KernelHandler {
        if h.handler == "neigh_proc_dointvec_ms_jiffies_positive" {
            // neigh_proc_dointvec_ms_jiffies_positive() (net/core/neighbour.c): at least msecs_to_jiffies(1) jiffies.
            return KernelHandler(key: h.key, handler: h.handler, parser: h.parser, kind: h.kind, count: h.count,
                                 min: .value(Int128(msecsToJiffies(1, hz: context.hz))), perNetworkNamespace: h.perNetworkNamespace,
                                 file: h.file, table: h.table)
        }
        if h.handler == "addrconf_sysctl_mtu" {
            // addrconf_sysctl_mtu() (net/ipv6/addrconf.c): at least IPV6_MIN_MTU (1280), at most the device's MTU;
            // all and default have no device (no maximum). Device MTUs are not sysctls: twlint knows only the
            // loopback's default, 64 KiB (gen_lo_setup() in drivers/net/loopback.c).
            let device = h.key.split(separator: ".").dropFirst(3).first
            return KernelHandler(key: h.key, handler: h.handler, parser: "proc_dointvec_minmax", kind: .int, count: 1,
                                 min: .value(1280), max: device == "lo" ? .value(65536) : nil,
                                 perNetworkNamespace: h.perNetworkNamespace, file: h.file, table: h.table)
        }
        guard h.minKey != nil || h.maxKey != nil else { return h }
        func value(_ key: String?) -> KernelHandler.Bound? {
            guard let key, let text = context.value(key) ?? defaultValue(key: key, kb: kb),
                  let (neg, m) = KernelInteger.parse(Array(text.utf8)) else { return nil }
            return .value(neg ? -Int128(m) : Int128(m))
        }
        return KernelHandler(key: h.key, handler: h.handler, parser: h.parser, kind: h.kind, count: h.count, maxlen: h.maxlen,
                             min: h.min ?? value(h.minKey), max: h.max ?? value(h.maxKey), unresolvedBound: h.unresolvedBound,
                             perNetworkNamespace: h.perNetworkNamespace, file: h.file, table: h.table)
    }

    // MARK: - Integers (kernel/sysctl.c)

    /// The current value's elements, for the parts of a vector a write does not reach.
    static func currentElements(_ current: String?, count: Int) -> [String] {
        var e = (current ?? "").sysctlFields.map(String.init)
        while e.count < count { e.append("0") }
        return Array(e.prefix(count))
    }

    /// `__do_proc_dointvec()` with the conversion of `h.parser`: elements are stored one by one, so an error
    /// in a later element leaves the earlier ones written.
    static func intVector(_ h: KernelHandler, _ written: [UInt8], _ current: String?, _ ctx: Context) -> Outcome {
        var values = currentElements(current, count: h.count)
        var reader = KernelInteger.Reader(written)
        var stored = 0
        var failure: String?
        for i in 0..<h.count {
            reader.skipSpaces()
            if reader.atEnd { break }
            guard let (magnitude, negative) = reader.readLong() else { failure = reader.failure; break }
            switch convertInt(h, magnitude: magnitude, negative: negative, hz: ctx.hz) {
            case .success(let printed):
                values[i] = printed
                stored += 1
            case .failure(let why):
                failure = why
            }
            if failure != nil { break }
        }
        if let failure {
            if stored == 0 { return .rejected(errno: EINVAL, reason: failure) }
            return .partial(held: values.joined(separator: "\t"), errno: EINVAL, reason: failure)
        }
        if stored == 0 { return .rejected(errno: EINVAL, reason: "no number in the text") }
        return .accepted(held: values.joined(separator: "\t"))
    }

    enum Conversion { case success(String), failure(String) }

    /// The conv function of each int parser: range check, store, and how /proc prints the stored value.
    static func convertInt(_ h: KernelHandler, magnitude m: UInt64, negative: Bool, hz: Int) -> Conversion {
        let hz64 = UInt64(Swift.max(hz, 1))
        switch h.parser {
        case "proc_dointvec_jiffies":
            // do_proc_dointvec_jiffies_conv: seconds × HZ; above INT_MAX / HZ is an error.
            guard m <= UInt64(Int32.max) / hz64 else { return .failure("\(signed(m, negative)) seconds do not fit in jiffies (at most \(UInt64(Int32.max) / hz64))") }
            // Stored as ±m × HZ and printed back divided by HZ: `-0` reads back as `0`.
            return .success(m == 0 ? "0" : signed(m, negative))
        case "proc_dointvec_ms_jiffies", "proc_dointvec_ms_jiffies_minmax":
            // do_proc_dointvec_ms_jiffies_conv: msecs_to_jiffies() takes an unsigned int, so the value is cut
            // to 32 bits; a result that is negative as an int means "infinite" (MAX_JIFFY_OFFSET), which is
            // above INT_MAX and so an error. Read back with jiffies_to_msecs().
            let m32 = UInt32(truncatingIfNeeded: negative ? (0 &- m) : m)
            guard Int32(bitPattern: m32) >= 0 else { return .failure("\(signed(m, negative)) ms is negative or beyond INT_MAX as a 32-bit value") }
            let jiffies = msecsToJiffies(m32, hz: hz)
            guard jiffies <= UInt64(Int32.max) else { return .failure("\(signed(m, negative)) ms does not fit in jiffies") }
            let stored = Int64(jiffies)
            if h.parser == "proc_dointvec_ms_jiffies_minmax", let why = outside(Int128(stored), h, hz: hz, shown: signed(m, negative)) { return .failure(why) }
            return .success(String(jiffiesToMsecs(UInt64(stored), hz: hz)))
        case "proc_dointvec_userhz_jiffies":
            // do_proc_dointvec_userhz_jiffies_conv: clock_t_to_jiffies() of the value as an unsigned long,
            // stored in an int (truncated); read back with jiffies_to_clock_t().
            if userHZ < hz, m > UInt64(Int64.max) / hz64 * UInt64(userHZ) { return .failure("\(signed(m, negative)) is too large") }
            let x = negative ? (0 &- m) : m
            let stored = Int32(truncatingIfNeeded: clockToJiffies(x, hz: hz))
            let neg = stored < 0
            let mag = neg ? UInt64(0 &- UInt32(bitPattern: stored)) : UInt64(stored)
            return .success((neg ? "-" : "") + String(jiffiesToClock(mag, hz: hz)))
        case "assumed":
            // A key without handler data: the text rules of proc_get_long() apply, no range is claimed.
            return .success(m == 0 ? "0" : signed(m, negative))
        default:
            // do_proc_dointvec_conv: −(INT_MAX + 1)…INT_MAX, then the minmax bounds (extra1/extra2).
            if negative ? m > UInt64(Int32.max) + 1 : m > UInt64(Int32.max) {
                return .failure("\(signed(m, negative)) does not fit in an int")
            }
            let v = negative ? -Int128(m) : Int128(m)
            if h.parser == "proc_dointvec_minmax" || h.parser == "proc_do_static_key", let why = outside(v, h, hz: hz, shown: String(v)) { return .failure(why) }
            if h.kind == .bool { return .success(v == 0 ? "0" : "1") }
            return .success(String(v))
        }
    }

    static func signed(_ m: UInt64, _ negative: Bool) -> String { negative ? "-\(m)" : "\(m)" }

    static func outside(_ v: Int128, _ h: KernelHandler, hz: Int, shown: String) -> String? {
        if let lo = h.min?.resolved(hz: hz), v < lo { return "\(shown) is below the minimum \(lo)" }
        if let hi = h.max?.resolved(hz: hz), v > hi { return "\(shown) is above the maximum \(hi)" }
        return nil
    }

    /// do_proc_douintvec_w(): one unsigned value, no sign allowed (not even `-0`), then the bounds
    /// (proc_dou8vec_minmax: 0…255 unless extra1/extra2 say otherwise). Text after it is not parsed.
    static func uintScalar(_ h: KernelHandler, _ written: [UInt8], _ current: String?, _ ctx: Context) -> Outcome {
        var reader = KernelInteger.Reader(written)
        reader.skipSpaces()
        if reader.atEnd { return .rejected(errno: EINVAL, reason: "no number in the text") }
        guard let (m, negative) = reader.readLong() else { return .rejected(errno: EINVAL, reason: reader.failure) }
        if negative { return .rejected(errno: EINVAL, reason: "-\(m) is negative; the sysctl is unsigned") }
        guard m <= UInt64(UInt32.max) else { return .rejected(errno: EINVAL, reason: "\(m) does not fit in an unsigned int") }
        var bounded = h
        if h.kind == .u8 {
            bounded = KernelHandler(key: h.key, handler: h.handler, parser: h.parser, kind: h.kind,
                                    min: h.min ?? .value(0), max: h.max ?? .value(255))
        }
        if h.parser.hasSuffix("_minmax") || h.kind == .u8, let why = outside(Int128(m), bounded, hz: ctx.hz, shown: String(m)) {
            return .rejected(errno: EINVAL, reason: why)
        }
        return .accepted(held: String(m))
    }

    /// __do_proc_doulongvec_minmax(): a vector of unsigned longs, no sign, each within the bounds; stored
    /// element by element like the int vectors. `_ms_jiffies_minmax` converts ms to jiffies (× HZ / 1000).
    static func ulongVector(_ h: KernelHandler, _ written: [UInt8], _ current: String?, _ ctx: Context) -> Outcome {
        var values = currentElements(current, count: h.count)
        var reader = KernelInteger.Reader(written)
        var stored = 0
        var failure: String?
        let msJiffies = h.parser == "proc_doulongvec_ms_jiffies_minmax"
        for i in 0..<h.count {
            reader.skipSpaces()
            if reader.atEnd { break }
            guard let (m, negative) = reader.readLong() else { failure = reader.failure; break }
            if negative { failure = "-\(m) is negative; the sysctl is unsigned"; break }
            // val = convmul * val / convdiv, in unsigned long arithmetic (wraps).
            let v: UInt64 = msJiffies ? (UInt64(ctx.hz) &* m) / 1000 : m
            if let why = outside(Int128(v), h, hz: ctx.hz, shown: String(m)) { failure = why; break }
            values[i] = msJiffies ? String(1000 &* v / UInt64(Swift.max(ctx.hz, 1))) : String(v)
            stored += 1
        }
        if let failure {
            if stored == 0 { return .rejected(errno: EINVAL, reason: failure) }
            return .partial(held: values.joined(separator: "\t"), errno: EINVAL, reason: failure)
        }
        if stored == 0 { return .rejected(errno: EINVAL, reason: "no number in the text") }
        return .accepted(held: values.joined(separator: "\t"))
    }

    // MARK: - Jiffies (include/linux/jiffies.h, kernel/time/time.c)

    /// __msecs_to_jiffies() for HZ dividing 1000 (rounds up) or a multiple of 1000.
    static func msecsToJiffies(_ m: UInt32, hz: Int) -> UInt64 {
        let hz = UInt64(Swift.max(hz, 1))
        if hz <= 1000, 1000 % hz == 0 { return (UInt64(m) + 1000 / hz - 1) / (1000 / hz) }
        if hz > 1000, hz % 1000 == 0 { return UInt64(m) &* (hz / 1000) }
        return (UInt64(m) &* hz + 999) / 1000
    }

    /// jiffies_to_msecs(): returns an unsigned int, so the product is cut to 32 bits.
    static func jiffiesToMsecs(_ j: UInt64, hz: Int) -> UInt32 {
        let hz = UInt64(Swift.max(hz, 1))
        if hz <= 1000, 1000 % hz == 0 { return UInt32(truncatingIfNeeded: (1000 / hz) &* j) }
        if hz > 1000, hz % 1000 == 0 { return UInt32(truncatingIfNeeded: (j + hz / 1000 - 1) / (hz / 1000)) }
        return UInt32(truncatingIfNeeded: j &* 1000 / hz)
    }

    /// clock_t_to_jiffies() (kernel/time/time.c).
    static func clockToJiffies(_ x: UInt64, hz: Int) -> UInt64 {
        let hz = UInt64(Swift.max(hz, 1)), user = UInt64(userHZ)
        if hz % user == 0 {
            if x >= UInt64.max / (hz / user) { return UInt64.max }
            return x * (hz / user)
        }
        if x >= UInt64.max / hz * user { return UInt64.max }
        return UInt64((UInt128(x) * UInt128(hz) / UInt128(user)) & UInt128(UInt64.max))
    }

    /// jiffies_to_clock_t() (kernel/time/time.c): x × TICK_NSEC / (NSEC_PER_SEC / USER_HZ).
    static func jiffiesToClock(_ x: UInt64, hz: Int) -> UInt64 {
        let hz = UInt64(Swift.max(hz, 1)), user = UInt64(userHZ)
        let tickNsec = (1_000_000_000 + hz / 2) / hz
        if tickNsec % (1_000_000_000 / user) == 0 { return x / (hz / user) }
        return UInt64((UInt128(x) * UInt128(tickNsec) / UInt128(1_000_000_000 / user)) & UInt128(UInt64.max))
    }

    // MARK: - Strings (kernel/sysctl.c _proc_do_string)

    /// The text a string sysctl keeps: bytes up to the first NUL or newline, at most maxlen − 1 of them.
    static func stringValue(_ written: [UInt8], maxlen: Int) -> String {
        var out: [UInt8] = []
        for b in written {
            if b == 0 || b == 0x0A || out.count >= maxlen - 1 { break }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Handlers with their own checks

    /// ipv4_local_port_range() (net/ipv4/sysctl_net_ipv4.c): both numbers are parsed into a temporary
    /// table (proc_dointvec_minmax, 1…65535 each), so a failure changes nothing; then high ≥ low and
    /// low ≥ ip_unprivileged_port_start are required (EINVAL). Same parity is accepted (a log line only).
    static func localPortRange(_ h: KernelHandler, _ written: [UInt8], _ current: String?, _ ctx: Context) -> Outcome {
        let tmp = KernelHandler(key: h.key, handler: "proc_dointvec_minmax", kind: .int, count: 2, min: h.min ?? .value(1), max: h.max ?? .value(65535))
        let parsed = intVector(tmp, written, current, ctx)
        guard case .accepted(let held) = parsed else {
            return .rejected(errno: parsed.errno ?? EINVAL, reason: parsed.reason ?? "invalid")
        }
        let f = held.sysctlFields.compactMap { Int($0) }
        guard f.count == 2 else { return .rejected(errno: EINVAL, reason: "not two numbers") }
        if f[1] < f[0] { return .rejected(errno: EINVAL, reason: "the last port \(f[1]) is below the first port \(f[0])") }
        let unprivileged = ctx.value("net.ipv4.ip_unprivileged_port_start").flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 1024
        if f[0] < unprivileged {
            return .rejected(errno: EINVAL, reason: "the first port \(f[0]) is below net.ipv4.ip_unprivileged_port_start (\(unprivileged))")
        }
        return .accepted(held: "\(f[0])\t\(f[1])")
    }

    /// ipv4_privileged_ports(): 0…65535 through a temporary table, then it must not exceed the first port
    /// of ip_local_port_range (EINVAL).
    static func privilegedPorts(_ h: KernelHandler, _ written: [UInt8], _ current: String?, _ ctx: Context) -> Outcome {
        let tmp = KernelHandler(key: h.key, handler: "proc_dointvec_minmax", kind: .int, count: 1, min: h.min ?? .value(0), max: h.max ?? .value(65535))
        let parsed = intVector(tmp, written, current, ctx)
        guard case .accepted(let held) = parsed, let v = Int(held) else {
            return .rejected(errno: parsed.errno ?? EINVAL, reason: parsed.reason ?? "invalid")
        }
        let low = ctx.value("net.ipv4.ip_local_port_range").flatMap { $0.sysctlFields.first.flatMap { Int($0) } } ?? 32768
        if low < v { return .rejected(errno: EINVAL, reason: "\(v) is above the first port of net.ipv4.ip_local_port_range (\(low))") }
        return .accepted(held: held)
    }

    /// ipv4_ping_group_range(): two unsigned longs through a temporary table (0…GID_T_MAX), then an
    /// inverted range is stored as the empty range `1 0`.
    static func pingGroupRange(_ h: KernelHandler, _ written: [UInt8], _ current: String?, _ ctx: Context) -> Outcome {
        let tmp = KernelHandler(key: h.key, handler: "proc_doulongvec_minmax", kind: .ulong, count: 2, min: h.min, max: h.max)
        let parsed = ulongVector(tmp, written, current, ctx)
        guard case .accepted(let held) = parsed else {
            return .rejected(errno: parsed.errno ?? EINVAL, reason: parsed.reason ?? "invalid")
        }
        let f = held.sysctlFields.compactMap { UInt64($0) }
        guard f.count == 2 else { return .rejected(errno: EINVAL, reason: "not two numbers") }
        if f[1] < f[0] { return .accepted(held: "1\t0") }
        return .accepted(held: "\(f[0])\t\(f[1])")
    }

    /// nf_hooks_lwtunnel_sysctl_handler() (net/netfilter/nf_hooks_lwtunnel.c): 0 or 1 through a temporary table;
    /// the setting is a global static key that can be switched on but never off again (0 after 1 is EBUSY).
    static func lwtunnelHooks(_ h: KernelHandler, _ written: [UInt8], _ current: String?, _ ctx: Context) -> Outcome {
        let parsed = intVector(KernelHandler(key: h.key, handler: "proc_dointvec_minmax", kind: .int, count: 1, min: .value(0), max: .value(1)),
                               written, current, ctx)
        guard case .accepted(let held) = parsed else { return parsed }
        if held == "0", current?.trimmingCharacters(in: .whitespacesAndNewlines) == "1" {
            return .rejected(errno: 16, reason: "the netfilter lwtunnel hooks cannot be switched off once on (EBUSY)")
        }
        return parsed
    }

    /// addrconf_sysctl_addr_gen_mode() (net/ipv6/addrconf.c): an unsigned int (proc_douintvec) that
    /// check_addr_gen_mode() limits to the four IN6_ADDR_GEN_MODE_* values 0…3; on an interface, mode 2
    /// (stable privacy) also needs a stable_secret (check_stable_privacy()), which a fresh interface lacks.
    static func addrGenMode(_ h: KernelHandler, _ written: [UInt8], _ current: String?, _ ctx: Context) -> Outcome {
        let parsed = uintScalar(KernelHandler(key: h.key, handler: "proc_douintvec", kind: .uint), written, current, ctx)
        guard case .accepted(let held) = parsed, let v = UInt64(held) else { return parsed }
        if v > 3 { return .rejected(errno: EINVAL, reason: "\(v) is not an address generation mode (0…3)") }
        let parts = h.key.split(separator: ".")
        if v == 2, parts.count == 5, parts[3] != "all", parts[3] != "default" {
            let secretKey = parts.prefix(4).joined(separator: ".") + ".stable_secret"
            let secret = ctx.value(secretKey) ?? ctx.value("net.ipv6.conf.default.stable_secret")
            if secret == nil || secret?.isEmpty == true {
                return .rejected(errno: EINVAL, reason: "mode 2 (stable privacy) needs \(secretKey) to be set first")
            }
        }
        return parsed
    }

    /// proc_tcp_fastopen_key() (net/ipv4/sysctl_net_ipv4.c, 6.18): the text (proc_dostring into a buffer of
    /// 2 × 16 × 2 + 2 × 5 = 74 bytes: TCP_FASTOPEN_KEY_LENGTH is sizeof(siphash_key_t) = 16, TCP_FASTOPEN_KEY_MAX 2)
    /// is split at its first comma into a primary and an optional backup key, each read by sscanf_key() with the
    /// kernel's vsscanf() format "%x-%x-%x-%x" (lib/vsprintf.c): white space is skipped before each number, a hex
    /// digit must start it, a "0x" prefix is skipped, the value is cut to 32 bits, each "-" must follow at once, and
    /// the rest of the text is ignored. A key that does not give four numbers is EINVAL. Read back as
    /// "%08x-%08x-%08x-%08x" per key, comma-separated.
    static func fastopenKey(_ written: [UInt8]) -> Outcome {
        var text: [UInt8] = []
        for b in written {
            if b == 0 || b == 0x0A || text.count >= 73 { break }
            text.append(b)
        }
        let parts: [ArraySlice<UInt8>]
        if let comma = text.firstIndex(of: UInt8(ascii: ",")) {
            parts = [text[..<comma], text[(comma + 1)...]]
        } else {
            parts = [text[...]]
        }
        func hexValue(_ b: UInt8) -> UInt64? {
            if KernelInteger.isDigit(b) { return UInt64(b - 0x30) }
            let l = b | 0x20
            return l >= 0x61 && l <= 0x66 ? UInt64(l - 0x61 + 10) : nil
        }
        func scan(_ s: ArraySlice<UInt8>) -> [UInt32]? {
            var i = s.startIndex
            var words: [UInt32] = []
            for n in 0..<4 {
                if n > 0 {
                    guard i < s.endIndex, s[i] == UInt8(ascii: "-") else { return nil }
                    i += 1
                }
                while i < s.endIndex, KernelInteger.isSpace(s[i]) { i += 1 }
                guard i < s.endIndex, KernelInteger.isXDigit(s[i]) else { return nil }
                if s[i] == UInt8(ascii: "0"), i + 1 < s.endIndex, s[i + 1] | 0x20 == UInt8(ascii: "x") { i += 2 }
                var v: UInt64 = 0
                while i < s.endIndex, let d = hexValue(s[i]) { v = v &* 16 &+ d; i += 1 }
                words.append(UInt32(truncatingIfNeeded: v))
            }
            return words
        }
        var keys: [[UInt32]] = []
        for part in parts {
            guard let words = scan(part) else {
                return .rejected(errno: EINVAL, reason: "\(KernelInteger.show(part)) is not a key of four hexadecimal numbers joined by \"-\"")
            }
            keys.append(words)
        }
        return .accepted(held: keys.map { $0.map { String(format: "%08x", $0) }.joined(separator: "-") }.joined(separator: ","))
    }

    /// Congestion controls built into or shipped with mainline (net/ipv4/tcp_*.c), which a write may autoload.
    static let mainlineCongestionControls: Set<String> = [
        "reno", "cubic", "bbr", "bic", "cdg", "dctcp", "highspeed", "htcp", "hybla", "illinois", "lp", "nv",
        "scalable", "vegas", "veno", "westwood", "yeah",
    ]

    /// proc_tcp_congestion_control() → tcp_set_default_congestion_control() (net/ipv4/tcp_cong.c): the whole
    /// text up to the newline (at most 15 bytes) must name a registered algorithm (ENOENT otherwise, after
    /// trying to load `tcp_NAME`); outside the initial namespace it must also be allowed (EPERM).
    static func congestionControl(_ h: KernelHandler, _ written: [UInt8], _ current: String?, _ ctx: Context) -> Outcome {
        let name = stringValue(written, maxlen: h.maxlen ?? 16)
        let available: Set<String>
        if let list = ctx.value("net.ipv4.tcp_available_congestion_control") {
            available = Set(list.sysctlFields.map(String.init))
        } else {
            available = mainlineCongestionControls
        }
        guard available.contains(name) else {
            return .rejected(errno: ENOENT, reason: "no congestion control named \"\(name)\"")
        }
        if !ctx.initialNamespace, let allowed = ctx.value("net.ipv4.tcp_allowed_congestion_control"),
           !allowed.sysctlFields.contains(where: { $0 == name }) {
            return .rejected(errno: EPERM, reason: "\"\(name)\" is not in tcp_allowed_congestion_control")
        }
        return .accepted(held: name)
    }

    /// The `id` of every Qdisc_ops in mainline's net/sched/sch_*.c (Linux 6.18.32, codesnas/linux-6.18.y at
    /// e3187436ea95; 6.1.166 has the same less `cake_mq` and `dualpi2`): the names a write may find built in or
    /// load as a module.
    static let mainlineQdiscs: Set<String> = [
        "bfifo", "blackhole", "cake", "cake_mq", "cbs", "choke", "clsact", "codel", "drr", "dualpi2", "etf", "ets", "fq",
        "fq_codel", "fq_pie", "gred", "hfsc", "hhf", "htb", "ingress", "mq", "mqprio", "multiq", "netem", "noop", "noqueue",
        "pfifo", "pfifo_fast", "pfifo_head_drop", "pie", "plug", "prio", "qfq", "red", "sfb", "sfq", "skbprio", "taprio", "tbf",
    ]

    /// set_default_qdisc() (net/core/sysctl_net_core.c) reads the text as proc_dostring() does into IFNAMSIZ (16)
    /// bytes, then qdisc_set_default() (net/sched/sch_api.c, 6.18.32) looks the name up among the registered
    /// qdiscs, asks for the module (`request_module("net-sch-NAME")`; `"sch_NAME"` in 6.6 and before) when it is
    /// not there, and fails with ENOENT when it still is not: the default stays. A name mainline has is assumed
    /// to be available (built in or a module); any other name is refused unless the target kernel has a qdisc of
    /// that name from elsewhere. The sysctl is global (not per network namespace), so it is never written on a host;
    /// the booted-6.1 VM test (BootedKernelTests.testBootedDebian61) writes it: built-in names are taken, an unknown
    /// name and a module-only one without modules are refused with ENOENT, and the default stays.
    static func defaultQdisc(_ h: KernelHandler, _ written: [UInt8]) -> Outcome {
        let name = stringValue(written, maxlen: h.maxlen ?? 16)
        guard mainlineQdiscs.contains(name) else {
            return .rejected(errno: ENOENT, reason: "no qdisc named \(ControlEscape.quoted(name)) in mainline Linux (net/sched/sch_*.c): qdisc_set_default() refuses it unless the kernel has a qdisc of that name built in or as a module")
        }
        return .accepted(held: name)
    }

    /// proc_do_large_bitmap() (ip_local_reserved_ports): `N` or `A-B` items separated by commas, the whole
    /// bitmap replaced; printed back as ranges.
    static func largeBitmap(_ h: KernelHandler, _ written: [UInt8], _ current: String?, bits: Int) -> Outcome {
        // A bit per port, so a text of many wide ranges costs at most 4095 / 2 × `bits` stores.
        var set = [Bool](repeating: false, count: bits)
        var reader = KernelInteger.Reader(Array(written.prefix(4095)))
        reader.skip(0x0A)
        while !reader.atEnd {
            guard let (a, negA) = reader.readLong(trailers: [UInt8(ascii: "-"), UInt8(ascii: ","), 0x0A]) else {
                return .rejected(errno: EINVAL, reason: reader.failure)
            }
            if negA || a >= UInt64(bits) { return .rejected(errno: EINVAL, reason: "\(a) is outside 0…\(bits - 1)") }
            var b = a
            let c = reader.peek
            if !reader.atEnd { reader.advance() }
            if c == UInt8(ascii: "-") {
                guard let (bb, negB) = reader.readLong(trailers: [UInt8(ascii: ","), 0x0A, 0]) else {
                    return .rejected(errno: EINVAL, reason: reader.failure)
                }
                if negB || bb >= UInt64(bits) || a > bb { return .rejected(errno: EINVAL, reason: "bad range \(a)-\(bb)") }
                b = bb
                if !reader.atEnd { reader.advance() }
            }
            for v in Int(a)...Int(b) { set[v] = true }
            reader.skip(0x0A)
        }
        let sorted = set.indices.filter { set[$0] }
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return .accepted(held: parts.joined(separator: ","))
    }
}

/// The kernel's integer reader (proc_get_long() in kernel/sysctl.c with kstrtox's base detection) and the
/// one conversion twlint uses wherever a sysctl value is read as a number.
public enum KernelInteger {
    /// lib/ctype.c: _S characters (space, \t \n \v \f \r and 0xA0).
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) || b == 0xA0 }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isXDigit(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66) }

    /// Reads numbers out of a write buffer as __do_proc_dointvec() does.
    struct Reader {
        let bytes: [UInt8]
        var pos = 0
        /// Why the last readLong() failed.
        var failure = ""

        init(_ bytes: [UInt8]) {
            // Writes longer than PAGE_SIZE − 1 are cut there.
            self.bytes = bytes.count > 4095 ? Array(bytes.prefix(4095)) : bytes
        }

        var atEnd: Bool { pos >= bytes.count }
        var peek: UInt8 { pos < bytes.count ? bytes[pos] : 0 }
        mutating func advance() { pos += 1 }
        mutating func skipSpaces() { while pos < bytes.count, KernelInteger.isSpace(bytes[pos]) { pos += 1 } }
        mutating func skip(_ c: UInt8) { while pos < bytes.count, bytes[pos] == c { pos += 1 } }

        /// The text from the read position to the next blank, for messages.
        var token: String {
            var end = pos
            while end < bytes.count, bytes[end] != 0x20, bytes[end] != 0x09, bytes[end] != 0x0A { end += 1 }
            return KernelInteger.show(bytes[pos..<end])
        }

        /// proc_get_long(): magnitude and sign, or nil (EINVAL) with `failure` set.
        mutating func readLong(trailers: [UInt8] = [0x20, 0x09, 0x0A]) -> (UInt64, Bool)? {
            let size = bytes.count - pos
            guard size > 0 else { failure = "no number"; return nil }
            let len = Swift.min(size, 21)
            let tmp = Array(bytes[pos..<(pos + len)]) + [0]
            var p = 0
            var negative = false
            if tmp[0] == UInt8(ascii: "-"), size > 1 { negative = true; p = 1 }
            guard KernelInteger.isDigit(tmp[p]) else {
                let hint = tmp[0] == UInt8(ascii: "+") ? " (the kernel takes no + sign)" : (tmp[p] == UInt8(ascii: "-") ? " (the kernel takes one - sign)" : "")
                failure = "\(token) does not start with a digit\(hint)"
                return nil
            }
            // _parse_integer_fixup_radix() with base 0.
            var base: UInt64 = 10
            if tmp[p] == UInt8(ascii: "0") {
                if tmp[p + 1] | 0x20 == UInt8(ascii: "x"), KernelInteger.isXDigit(tmp[p + 2]) { base = 16; p += 2 } else { base = 8 }
            }
            // _parse_integer_limit(): digits of the base; an overflow of 64 bits is an error.
            var value: UInt64 = 0
            var overflow = false
            while p < len {
                let c = tmp[p]
                let digit: UInt64
                if KernelInteger.isDigit(c) { digit = UInt64(c - 0x30) } else if c | 0x20 >= 0x61, c | 0x20 <= 0x66 { digit = UInt64((c | 0x20) - 0x61 + 10) } else { break }
                if digit >= base { break }
                let (m, o1) = value.multipliedReportingOverflow(by: base)
                let (s, o2) = m.addingReportingOverflow(digit)
                if o1 || o2 { overflow = true }
                value = s
                p += 1
            }
            if overflow { failure = "\(token) is beyond the 64 bits the kernel reads"; return nil }
            if p == 21 { failure = "\(token) has 21 or more characters, more than the kernel reads for one number"; return nil }
            if p < size, !trailers.contains(tmp[p]) {
                failure = "\(token) has \(KernelInteger.show([tmp[p]])) after the number \(KernelInteger.show(tmp[0..<p])), where the kernel wants a blank or the end of the value"
                return nil
            }
            pos += p
            return (value, negative)
        }
    }

    /// Up to 40 bytes of a value, quoted for a message (`ControlEscape.quoted`), with "…" when it is longer.
    static func show<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        ControlEscape.quoted(String(decoding: bytes.prefix(40), as: UTF8.self), truncated: bytes.count > 40)
    }

    /// One number as the kernel's int parsers read it, the whole text (surrounding white space allowed):
    /// `0x10` → 16, `010` → 8, `-5` → −5. nil for what the kernel refuses (`+7`, `--1`, `0x-1`, `1#`) and for
    /// magnitudes beyond 64 bits. The result is the sign and magnitude, exact.
    public static func parse(_ bytes: [UInt8]) -> (negative: Bool, magnitude: UInt64)? {
        var r = Reader(bytes)
        r.skipSpaces()
        guard let (m, neg) = r.readLong() else { return nil }
        r.skipSpaces()
        return r.atEnd ? (neg, m) : nil
    }

    /// The value as a signed 64-bit integer, when it fits (−2^63 … 2^63 − 1); nil otherwise.
    public static func int64(_ text: some StringProtocol) -> Int64? {
        guard let (neg, m) = parse(Array(text.utf8)) else { return nil }
        if neg { return m <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- m) : nil }
        return m <= UInt64(Int64.max) ? Int64(m) : nil
    }
}
