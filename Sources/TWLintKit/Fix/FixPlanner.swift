import Foundation

/// One fix twlint can make: the finding, the rule's declaration, the edit, and how safe it is here.
public struct PlannedFix: Sendable {
    public let finding: Finding
    public let kind: AutoFix.Kind
    /// The rule's applicability, downgraded to unsafe where the kernel could end up with different values.
    public let applicability: AutoFix.Applicability
    /// The fix may change what the kernel holds (declared by the rule, or found by the model).
    public let changesEffect: Bool
    /// The rule declares that the fix changes what the kernel is given (`effect="changes"`).
    public let declaresChange: Bool
    /// The keys whose held values the fix may change (empty when it changes nothing).
    public let changedKeys: Set<String>
    let edit: LineEdit
}

/// Turns a file's findings into line edits, following each rule's `<autofix>`.
struct FixPlanner {
    let kb: KnowledgeBase
    let kernel: KernelVersion

    /// Every fix for `findings` in `text` (parsed as `parsed`), at most one per edited line: when fixes meet on a
    /// line, the one that removes the line wins and the others wait for the next round.
    func plan(_ text: LineText, parsed: ParsedInput, findings: [Finding]) -> [PlannedFix] {
        var byLine: [Int: Setting] = [:]
        for s in parsed.settings { byLine[s.location.line] = s }
        var byKey: [String: [Setting]] = [:]
        for s in parsed.settings { byKey[s.key, default: []].append(s) }
        var planned: [PlannedFix] = []
        for finding in findings {
            guard let rule = kb.rule(code: finding.code), let autofix = rule.autofix,
                  let fix = make(finding, autofix, text: text, byLine: byLine, byKey: byKey) else { continue }
            planned.append(fix)
        }
        // One edit per line; removals first, then renames and values, then moved comments.
        func rank(_ k: AutoFix.Kind) -> Int {
            switch k {
            case .delete, .commentOut: return 0
            case .renameKey: return 1
            case .replaceValue: return 2
            case .moveComment: return 3
            }
        }
        var taken = Set<Int>()
        var result: [PlannedFix] = []
        for fix in planned.sorted(by: { (rank($0.kind), $0.edit.line) < (rank($1.kind), $1.edit.line) }) where !taken.contains(fix.edit.line) {
            taken.insert(fix.edit.line)
            result.append(fix)
        }
        return result.sorted { $0.edit.line < $1.edit.line }
    }

    private func make(_ finding: Finding, _ autofix: AutoFix, text: LineText, byLine: [Int: Setting], byKey: [String: [Setting]]) -> PlannedFix? {
        let lineNumber: Int
        if autofix.targetsOverridden {
            guard let related = finding.related.first(where: { $0.location.path == finding.location?.path }) else { return nil }
            lineNumber = related.location.line
        } else {
            guard let line = finding.location?.line else { return nil }
            lineNumber = line
        }
        guard lineNumber >= 1, lineNumber <= text.lines.count, let setting = byLine[lineNumber] else { return nil }
        let bytes = text.lines[lineNumber - 1]
        guard let parts = AssignmentLine(bytes) else { return nil }
        var vars = ["key": setting.key, "value": setting.value, "kernel": kernel.description]
        let indent = Array(bytes[parts.indent])
        func note() -> [UInt8]? {
            guard let template = autofix.note else { return nil }
            return indent + Array("# ".utf8) + Array(render(template, vars).utf8)
        }
        var replacement: [[UInt8]]
        switch autofix.kind {
        case .moveComment:
            guard let hash = parts.inlineComment(bytes) else { return nil }
            var end = hash
            while end > parts.value.lowerBound && SysctlConf.isBlank(bytes[end - 1]) { end -= 1 }
            guard end > parts.value.lowerBound else { return nil }   // nothing before the comment: no intended value
            replacement = [indent + Array(bytes[hash..<parts.value.upperBound]), Array(bytes[..<end])]
        case .commentOut:
            if let p = kb.parameter(for: setting.key) {
                if p.neverExisted != nil {
                    vars["reason"] = "has never existed in any Linux kernel"
                } else if let removed = p.removed, kernel >= removed.version {
                    vars["reason"] = "was removed in Linux \(removed.version)"
                }
            }
            if autofix.note?.contains("{reason}") == true && vars["reason"] == nil { return nil }
            if autofix.targetsOverridden, let later = (byKey[setting.key] ?? []).first(where: { $0.location.line > lineNumber }) {
                vars["later"] = later.value
                vars["later-line"] = "\(later.location.line)"
            }
            replacement = (note().map { [$0] } ?? []) + [indent + Array("# ".utf8) + Array(bytes[parts.indent.upperBound...])]
        case .delete:
            replacement = note().map { [$0] } ?? []
        case .renameKey:
            guard !setting.isGlob else { return nil }
            // Unique and close: the only did-you-mean at most two edits away.
            let close = kb.suggestions(forKey: setting.key).filter { Levenshtein.distance(setting.key.lowercased(), $0.lowercased()) <= 2 }
            guard close.count == 1, let target = close.first else { return nil }
            if let p = kb.parameter(for: target), !p.exists(on: kernel) { return nil }
            vars["suggestion"] = target
            replacement = (note().map { [$0] } ?? []) + [Array(bytes[..<parts.key.lowerBound]) + Array(target.utf8) + Array(bytes[parts.key.upperBound...])]
        case .replaceValue:
            let value = Array(bytes[parts.value])
            let newValue: [UInt8]
            switch autofix.replacement {
            case .unquoted?:
                guard value.count >= 2, value.first == value.last, value.first == UInt8(ascii: "\"") || value.first == UInt8(ascii: "'") else { return nil }
                newValue = Array(value[1..<(value.count - 1)])
            case .nearestBound?:
                guard let bounded = nearestBound(value, key: setting.key) else { return nil }
                newValue = bounded
            case nil:
                return nil
            }
            replacement = (note().map { [$0] } ?? []) + [Array(bytes[..<parts.value.lowerBound]) + newValue + Array(bytes[parts.value.upperBound...])]
        }
        let edit = LineEdit(line: lineNumber, replacement: replacement)
        let changed = changedKeys(edit, removing: setting, byKey: byKey)
        var applicability = autofix.applicability
        if !changed.isEmpty && !autofix.changesEffect { applicability = .unsafe }
        return PlannedFix(finding: finding, kind: autofix.kind, applicability: applicability,
                          changesEffect: autofix.changesEffect || !changed.isEmpty, declaresChange: autofix.changesEffect,
                          changedKeys: changed, edit: edit)
    }

    /// The keys whose held value differs once `edit` replaces `setting`'s line: the other assignments of the keys
    /// involved are replayed with and without the edit.
    private func changedKeys(_ edit: LineEdit, removing setting: Setting, byKey: [String: [Setting]]) -> Set<String> {
        let joined = edit.replacement.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        let added = SysctlConf.parse(Data(joined.utf8), path: setting.location.path).settings
        var changed = Set<String>()
        for key in Set([setting.key] + added.map(\.key)) {
            let before = byKey[key] ?? []
            var after: [Setting] = []
            var inserted = false
            for s in before {
                if s.location.line == setting.location.line {
                    after += added.filter { $0.key == key }
                    inserted = true
                } else {
                    if !inserted && s.location.line > setting.location.line {
                        after += added.filter { $0.key == key }
                        inserted = true
                    }
                    after.append(s)
                }
            }
            if !inserted { after += added.filter { $0.key == key } }
            if HeldValue.configuration(before, kb: kb, kernel: kernel)[key] != HeldValue.configuration(after, kb: kb, kernel: kernel)[key] {
                changed.insert(key)
            }
        }
        return changed
    }

    /// Each integer of the value outside the range the kernel enforces, set to the bound it passed; nil when the value
    /// is not all integers of the right count or nothing is out of range.
    private func nearestBound(_ value: [UInt8], key: String) -> [UInt8]? {
        guard let p = kb.parameter(for: key), p.rangeEnforced, p.min != nil || p.max != nil else { return nil }
        switch p.type {
        case .bool, .int, .enum, .intPair, .intList: break
        default: return nil
        }
        var out: [UInt8] = []
        var changed = false
        var i = 0
        var fields = 0
        while i < value.count {
            if SysctlConf.isBlank(value[i]) { out.append(value[i]); i += 1; continue }
            var j = i
            while j < value.count && !SysctlConf.isBlank(value[j]) { j += 1 }
            guard let n = String(decoding: value[i..<j], as: UTF8.self).sysctlInteger else { return nil }
            fields += 1
            if let min = p.min, n < min {
                out += Array(String(min).utf8); changed = true
            } else if let max = p.max, n > max {
                out += Array(String(max).utf8); changed = true
            } else {
                out += value[i..<j]
            }
            i = j
        }
        let expected: Int? = p.type == .intPair ? 2 : (p.type == .intList ? p.count : 1)
        if let expected, fields != expected { return nil }
        return changed ? out : nil
    }

    private func render(_ template: String, _ vars: [String: String]) -> String {
        var out = template
        for (name, value) in vars { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        return out
    }
}
