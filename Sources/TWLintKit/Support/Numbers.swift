/// Conversions and arithmetic for numbers that come from input: they never trap.
extension BinaryInteger where Self: FixedWidthInteger {
    /// `value` rounded toward zero and clamped to the type's range; NaN gives 0.
    init(saturating value: Double) {
        if value.isNaN { self = 0; return }
        if value >= Double(Self.max) { self = Self.max; return }
        if value <= Double(Self.min) { self = Self.min; return }
        self = Self(value)
    }
}

extension FixedWidthInteger {
    /// Parses decimal digits only (no sign), nil on overflow or any other character.
    static func decimalDigits<S: Sequence>(_ digits: S) -> Self? where S.Element == Character {
        var value: Self = 0
        var any = false
        for ch in digits {
            guard let d = ch.wholeNumberValue, ch.isASCII else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Self(d))
            if o1 || o2 { return nil }
            value = a
            any = true
        }
        return any ? value : nil
    }
}
