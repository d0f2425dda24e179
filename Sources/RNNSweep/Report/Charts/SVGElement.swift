/// A minimal SVG element tree that renders with every attribute value and text escaped (``HTMLEscaping``), so
/// chart code cannot inject markup whatever its labels contain.
public struct SVGElement: Sendable, Equatable {
    public var name: String
    public var attributes: [(String, String)]
    public var children: [SVGElement]
    /// Text content (labels); rendered before the children.
    public var text: String?

    public init(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil, children: [SVGElement] = [])
    {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
    }

    /// The element as markup (no XML declaration: it is inlined in HTML, where `<svg>` needs no namespace).
    public func render() -> String {
        var out = "<" + name
        for (key, value) in attributes { out += " \(key)=\"\(HTMLEscaping.attribute(value))\"" }
        guard text != nil || !children.isEmpty else { return out + "/>" }
        out += ">" + (text.map(HTMLEscaping.text) ?? "")
        for child in children { out += child.render() }
        return out + "</\(name)>"
    }

    public static func == (a: SVGElement, b: SVGElement) -> Bool {
        a.name == b.name && a.attributes.elementsEqual(b.attributes, by: ==) && a.children == b.children
            && a.text == b.text
    }

    /// `<text>` at (x, y) with a CSS class and an anchor (`start`, `middle`, `end`).
    static func label(_ text: String, x: Double, y: Double, anchor: String = "start", className: String) -> SVGElement {
        SVGElement(
            "text",
            [("x", PathData.number(x)), ("y", PathData.number(y)), ("text-anchor", anchor), ("class", className)],
            text: text)
    }

    /// `<path d="…" class="…">`.
    static func path(_ data: String, className: String) -> SVGElement {
        SVGElement("path", [("d", data), ("class", className)])
    }
}
