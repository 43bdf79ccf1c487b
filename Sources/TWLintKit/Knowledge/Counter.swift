import Foundation

/// A kb entry about one TCP/IP counter of /proc/net/netstat or /proc/net/snmp (`TcpExt.ListenOverflows`):
/// what increments it in the kernel, what a rising value means and what to do.
public final class Counter: @unchecked Sendable {
    public struct VersionNote: Sendable {
        public let version: KernelVersion
        let element: XMLElement
        public var note: Inline { ProseReader.inline(element) }
    }

    /// `TcpExt.ListenOverflows`: the group (the header word before the colon) and the column name.
    public let name: String
    public let heading: EntryHeading
    /// The lines `netstat -s` prints for it, without the number.
    public let netstat: [String]
    public let since: VersionNote?
    public let removed: VersionNote?
    private let element: XMLElement
    public var increments: [Block] { element.child("increments").map(ProseReader.blocks) ?? [] }
    public var meaning: [Block] { element.child("meaning").map(ProseReader.blocks) ?? [] }
    public var action: [Block] { element.child("action").map(ProseReader.blocks) ?? [] }
    /// Counters to read together with this one.
    public let see: [String]
    public let path: String

    /// `TcpExt`, `Tcp`, `IpExt`, `Ip`.
    public var group: String { String(name.prefix { $0 != "." }) }
    /// The column name without the group (`ListenOverflows`).
    public var column: String { String(name.drop { $0 != "." }.dropFirst()) }
    /// How `nstat` prints it: group and column run together (`TcpExtListenOverflows`).
    public var nstatName: String { group + column }
    /// The file the kernel prints it in.
    public var procFile: String { group.hasSuffix("Ext") ? "/proc/net/netstat" : "/proc/net/snmp" }

    init(_ e: XMLElement, path: String) {
        func note(_ n: XMLElement?) -> VersionNote? {
            guard let n, let v = n["version"].flatMap(KernelVersion.init) else { return nil }
            return VersionNote(version: v, element: n)
        }
        name = e["name"] ?? ""
        heading = EntryHeading(e)
        netstat = e.children("netstat").map(\.text)
        since = note(e.child("since"))
        removed = note(e.child("removed"))
        element = e
        see = e.child("see")?.children("counter").compactMap { $0["name"] } ?? []
        self.path = path
    }

    /// Whether the counter exists on `kernel`, as far as the entry says.
    public func exists(on kernel: KernelVersion) -> Bool {
        if let removed, kernel >= removed.version { return false }
        if let since, kernel < since.version { return false }
        return true
    }
}

/// A kb entry about something people see (an errno, a kernel log line) and the TCP conditions behind it.
public final class Symptom: @unchecked Sendable {
    public let id: String
    public let heading: EntryHeading
    /// The text as it is printed, which people paste.
    public let messages: [String]
    private let element: XMLElement
    public var causes: [Inline] { element.child("causes")?.children("item").map(ProseReader.inline) ?? [] }
    public var diagnose: [Block] { element.child("diagnose").map(ProseReader.blocks) ?? [] }
    public var fix: [Block] { element.child("fix").map(ProseReader.blocks) ?? [] }
    public let counters: [String]
    public let path: String

    init(_ e: XMLElement, path: String) {
        id = e["id"] ?? ""
        heading = EntryHeading(e)
        messages = e.child("messages")?.children("message").map(\.text) ?? []
        element = e
        counters = e.child("counters")?.children("counter").compactMap { $0["name"] } ?? []
        self.path = path
    }
}


extension Counter: KnowledgeFileEntry, HeadedEntry {}

extension Symptom: KnowledgeFileEntry, HeadedEntry {}
