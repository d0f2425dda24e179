/// One point of a line series: its mean and, when it folds several values, their sample standard deviation.
public struct SeriesPoint: Sendable, Equatable {
    public var x: Double
    public var mean: Double
    public var deviation: Double?

    public init(x: Double, mean: Double, deviation: Double? = nil) {
        self.x = x
        self.mean = mean
        self.deviation = deviation
    }
}

/// A line (the mean) with a band (mean ± one standard deviation) where the points have a deviation.
public struct LineSeries: Sendable, Equatable {
    /// CSS class of the line and, with `-band`, of its band (`train` → `train`, `train-band`).
    public var className: String
    /// Points in x order; non-finite means are skipped (they break the line).
    public var points: [SeriesPoint]

    public init(className: String, points: [SeriesPoint]) {
        self.className = className
        self.points = points
    }
}

/// One small line chart panel: title (the quantity and its unit), axes, grid, bands under lines.
public struct LineChart: Sendable {
    public var frame: ChartFrame
    public var x: LinearScale
    public var y: LinearScale
    public var xTicks: (values: [Double], step: Double)
    public var yTicks: (values: [Double], step: Double)

    /// A panel over `frame` for the given domains (already nice), with about `xCount`/`yCount` ticks.
    public init(
        frame: ChartFrame, xDomain: (lower: Double, upper: Double), yDomain: (lower: Double, upper: Double),
        xCount: Int = 5, yCount: Int = 4
    ) {
        self.frame = frame
        x = LinearScale(domain: xDomain, range: (frame.left, frame.right))
        y = LinearScale(domain: yDomain, range: (frame.bottom, frame.top))
        let xStep = max(1, NiceTicks.step(xDomain.lower, xDomain.upper, count: xCount))
        xTicks = (NiceTicks.ticks(xDomain.lower, xDomain.upper, count: xCount).filter { $0 == $0.rounded() }, xStep)
        yTicks = (
            NiceTicks.ticks(yDomain.lower, yDomain.upper, count: yCount),
            NiceTicks.step(yDomain.lower, yDomain.upper, count: yCount)
        )
    }

    /// The panel: title at the top left, grid and axes, then every series' band, then every line on top.
    public func render(title: String, xUnit: String, series: [LineSeries]) -> [SVGElement] {
        var elements: [SVGElement] = [.label(title, x: frame.left, y: frame.top - 6, className: "panel-title")]
        elements += ChartAxis.left(y, frame: frame, ticks: yTicks.values, step: yTicks.step)
        elements += ChartAxis.bottom(x, frame: frame, ticks: xTicks.values, step: xTicks.step, unit: xUnit)
        for item in series {
            for band in bands(item.points) { elements.append(.path(band, className: item.className + "-band")) }
        }
        for item in series {
            let points = item.points.map { $0.mean.isFinite ? ChartPoint(x($0.x), y($0.mean)) : nil }
            let data = PathData.line(points)
            if !data.isEmpty { elements.append(.path(data, className: item.className)) }
            // A lone point (one epoch) would draw nothing as a line: mark it.
            if item.points.count == 1, let point = points[0] {
                elements.append(
                    SVGElement(
                        "circle",
                        [
                            ("cx", PathData.number(point.x)), ("cy", PathData.number(point.y)), ("r", "2.5"),
                            ("class", item.className + "-dot"),
                        ]))
            }
        }
        return elements
    }

    /// Band path data for each run of consecutive points that have a finite mean and deviation.
    func bands(_ points: [SeriesPoint]) -> [String] {
        var runs: [[SeriesPoint]] = [[]]
        for point in points {
            if point.mean.isFinite, let deviation = point.deviation, deviation.isFinite {
                runs[runs.count - 1].append(point)
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        return runs.filter { $0.count >= 2 }.map { run in
            PathData.band(
                upper: run.map { ChartPoint(x($0.x), y($0.mean + $0.deviation!)) },
                lower: run.map { ChartPoint(x($0.x), y($0.mean - $0.deviation!)) })
        }
    }
}
