import Plot

/// The two ways user text enters a Plot tree: as escaped text and as an escaped attribute value
/// (see ``HTMLEscaping`` for why Plot's own `.text` and attributes are not used for it).
extension Node {
    /// Text content, escaped.
    static func safe(_ text: String) -> Node { .raw(HTMLEscaping.text(text)) }

    /// An attribute whose value is escaped (kept even when empty: `data-value=""` means "no value").
    static func attr(_ name: String, _ value: String) -> Node {
        .attribute(named: name, value: HTMLEscaping.attribute(value), ignoreIfValueIsEmpty: false)
    }

    /// A generic element (figure, figcaption, …) in any context.
    static func tag(_ name: String, _ nodes: [Node]) -> Node { .element(named: name, nodes: nodes) }
}
