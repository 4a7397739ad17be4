import Foundation
import Verifier

/// A rate claim drawn as an offline SVG figure: the error against the size at every rung, with the stated
/// law drawn beside the measured points.
///
/// - An algebraic rate err(N) ≈ C·N^−p is drawn on log–log axes: log₁₀ err against log₁₀ N, where the law is a
///   line of slope −p. The line goes through log₁₀ C when the claim states C, else through the last point.
/// - An exponential rate err(N) ≈ C·e^−cN is drawn on semi-log axes: log₁₀ err against N, a line of slope
///   −c/ln 10 through the last point (the measured last rate when the claim states none).
/// - Each rung's points have their own marker; points inside the burn-in are hollow and grey.
struct RatePlot {
    struct Series {
        var precision: Int
        var sizes: [Double]
        var log10Errors: [Double]
    }

    var claim: ClaimResult
    var series: [Series]
    var exponential: Bool
    /// The stated order p or rate c; nil when the claim states none (then the measured last rate is drawn).
    var slopeRate: Double?
    var statedRate: Bool
    var constant: Double?
    var burnIn: Int

    static let width = 460.0, height = 270.0
    static let left = 58.0, right = 14.0, top = 14.0, bottom = 40.0

    /// The plot of `claim`, or nil when it is not a rate claim or has no recorded points.
    init?(claim: ClaimResult) {
        guard claim.kind == .algebraicRate || claim.kind == .exponentialRate else { return nil }
        series = claim.records.compactMap { record in
            guard let sizes = record.rateSizes, let errors = record.rateLog10Errors, sizes.count == errors.count,
                  !sizes.isEmpty, zip(sizes, errors).allSatisfy({ $0.isFinite && $1.isFinite && $0 > 0 }) else { return nil }
            return Series(precision: record.precision, sizes: sizes, log10Errors: errors)
        }
        guard let last = claim.records.last, !series.isEmpty else { return nil }
        self.claim = claim
        exponential = claim.kind == .exponentialRate
        statedRate = last.statedRate != nil
        slopeRate = last.statedRate ?? last.estimatedRate
        constant = last.statedConstant.flatMap { Double($0) }.flatMap { $0 > 0 ? $0 : nil }
        burnIn = last.burnIn ?? 0
    }

    /// The horizontal coordinate of a size: log₁₀ N, or N for an exponential rate.
    func x(_ size: Double) -> Double { exponential ? size : log10(size) }

    /// The law's log₁₀ err at size N, anchored as described above.
    func law(_ size: Double) -> Double? {
        guard let rate = slopeRate, let anchor = series.last, let lastSize = anchor.sizes.last,
              let lastError = anchor.log10Errors.last else { return nil }
        if exponential { return lastError - rate / M_LN10 * (size - lastSize) }
        if let constant { return log10(constant) - rate * log10(size) }
        return lastError - rate * (log10(size) - log10(lastSize))
    }

    /// The figure: an inline SVG and a caption.
    func html() -> String {
        let xs = series.flatMap { $0.sizes.map(x) }
        var ys = series.flatMap(\.log10Errors)
        let sizes = series.flatMap(\.sizes)
        if let low = sizes.min(), let high = sizes.max() { ys += [law(low), law(high)].compactMap { $0 } }
        guard var xMin = xs.min(), var xMax = xs.max(), var yMin = ys.min(), var yMax = ys.max() else { return "" }
        if xMax - xMin < 1e-9 { xMin -= 0.5; xMax += 0.5 }
        if yMax - yMin < 1e-9 { yMin -= 0.5; yMax += 0.5 }
        let xPad = (xMax - xMin) * 0.06, yPad = (yMax - yMin) * 0.08
        xMin -= xPad; xMax += xPad; yMin -= yPad; yMax += yPad
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        func px(_ value: Double) -> Double { Self.left + (value - xMin) / (xMax - xMin) * plotWidth }
        func py(_ value: Double) -> Double { Self.top + (yMax - value) / (yMax - yMin) * plotHeight }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }

        var svg = "<svg class=\"rate-plot\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" "
            + "aria-label=\"\(htmlEscape(caption()))\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"10\">\n"
        svg += "<rect x=\"\(f(Self.left))\" y=\"\(f(Self.top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"#fff\" stroke=\"#d8dee4\"/>\n"
        // Horizontal grid and labels: decades of the error.
        let yStep = Self.step(yMax - yMin)
        var tick = (yMin / yStep).rounded(.up) * yStep
        while tick <= yMax {
            svg += "<line x1=\"\(f(Self.left))\" x2=\"\(f(Self.left + plotWidth))\" y1=\"\(f(py(tick)))\" y2=\"\(f(py(tick)))\" stroke=\"#eef1f4\"/>"
            svg += "<text x=\"\(f(Self.left - 5))\" y=\"\(f(py(tick) + 3.5))\" text-anchor=\"end\" fill=\"#59636e\">\(Self.power(tick))</text>\n"
            tick += yStep
        }
        // Vertical labels: the sizes themselves when few, else decades (or an even step in N).
        let distinct = Array(Set(sizes)).sorted()
        let xTicks: [(Double, String)] = distinct.count <= 9
            ? distinct.map { (x($0), Self.number($0)) }
            : {
                let step = Self.step(xMax - xMin)
                var ticks: [(Double, String)] = []
                var value = (xMin / step).rounded(.up) * step
                while value <= xMax { ticks.append((value, exponential ? Self.number(value) : Self.power(value))); value += step }
                return ticks
            }()
        for (value, label) in xTicks {
            svg += "<line x1=\"\(f(px(value)))\" x2=\"\(f(px(value)))\" y1=\"\(f(Self.top))\" y2=\"\(f(Self.top + plotHeight))\" stroke=\"#eef1f4\"/>"
            svg += "<text x=\"\(f(px(value)))\" y=\"\(f(Self.top + plotHeight + 13))\" text-anchor=\"middle\" fill=\"#59636e\">\(htmlEscape(label))</text>\n"
        }
        svg += "<text x=\"\(f(Self.left + plotWidth / 2))\" y=\"\(f(Self.height - 6))\" text-anchor=\"middle\" fill=\"#1f2328\">N\(exponential ? "" : " (log scale)")</text>"
        svg += "<text transform=\"translate(12 \(f(Self.top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" fill=\"#1f2328\">error (log scale)</text>\n"
        // The law.
        if let low = sizes.min(), let high = sizes.max(), let yLow = law(low), let yHigh = law(high) {
            svg += "<line class=\"law\" x1=\"\(f(px(x(low))))\" y1=\"\(f(py(yLow)))\" x2=\"\(f(px(x(high))))\" y2=\"\(f(py(yHigh)))\" "
                + "stroke=\"#0b5cad\" stroke-width=\"1.6\" stroke-dasharray=\"\(statedRate ? "none" : "5 3")\"/>\n"
        }
        // The points, one marker per rung.
        let colours = ["#1a7f37", "#8250df", "#953800"]
        for (index, rung) in series.enumerated() {
            let colour = colours[index % colours.count]
            for (offset, (size, error)) in zip(rung.sizes, rung.log10Errors).enumerated() {
                let burn = offset < burnIn
                let (cx, cy) = (px(x(size)), py(error))
                let data = "data-rung=\"\(rung.precision)\" data-n=\"\(Self.number(size))\" data-log10-error=\"\(String(format: "%.6f", error))\""
                let stroke = burn ? "#8c959f" : colour
                if index % 2 == 0 {
                    svg += "<circle class=\"point\" cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"3.6\" fill=\"\(burn ? "#fff" : colour)\" stroke=\"\(stroke)\" \(data)/>"
                } else {
                    svg += "<path class=\"point\" d=\"M\(f(cx - 4)) \(f(cy - 4))L\(f(cx + 4)) \(f(cy + 4))M\(f(cx - 4)) \(f(cy + 4))L\(f(cx + 4)) \(f(cy - 4))\" stroke=\"\(stroke)\" stroke-width=\"1.5\" \(data)/>"
                }
            }
            svg += "\n"
        }
        // Legend.
        var legendY = Self.top + 14
        for (index, rung) in series.enumerated() {
            let colour = colours[index % colours.count]
            let marker = index % 2 == 0 ? "●" : "×"
            svg += "<text x=\"\(f(Self.left + plotWidth - 8))\" y=\"\(f(legendY))\" text-anchor=\"end\" fill=\"\(colour)\">\(marker) \(rung.precision) bits</text>"
            legendY += 13
        }
        svg += "<text x=\"\(f(Self.left + plotWidth - 8))\" y=\"\(f(legendY))\" text-anchor=\"end\" fill=\"#0b5cad\">\(htmlEscape(lawLabel()))</text>\n"
        svg += "</svg>"
        return "<figure class=\"plot\">\(svg)<figcaption>\(htmlEscape(caption()))</figcaption></figure>\n"
    }

    func lawLabel() -> String {
        guard let rate = slopeRate else { return "" }
        let name = exponential ? "rate c = \(Self.number(rate))" : "order p = \(Self.number(rate))"
        return (statedRate ? "stated " : "measured ") + name + (constant.map { ", C = \(Self.number($0))" } ?? "")
    }

    func caption() -> String {
        let axes = exponential ? "Error against N (semi-log axes)" : "Error against N (log–log axes)"
        let rungs = series.map { "\($0.precision)" }.joined(separator: " and ")
        var text = "\(axes) at \(rungs) bits; the line is the \(lawLabel())"
        if constant == nil { text += ", drawn through the last point" }
        if burnIn > 0 { text += "; hollow grey points are the burn-in" }
        return text + "."
    }

    /// A tick step of 1, 2 or 5 times a power of ten giving about five ticks over `span`.
    static func step(_ span: Double) -> Double {
        let raw = span / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * magnitude >= raw { return factor * magnitude }
        return 10 * magnitude
    }

    /// 10 to a power, written with superscript digits.
    static func power(_ exponent: Double) -> String {
        let superscripts: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶",
                                                    "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻", ".": "·"]
        let text = exponent == exponent.rounded() ? String(Int(exponent)) : String(format: "%.1f", exponent)
        return "10" + String(text.map { superscripts[$0] ?? $0 })
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.4g", value)
    }
}
