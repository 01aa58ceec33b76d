import Foundation
import Ink

/// Markdown a vendor writes (custom tabs, campaign mails) as HTML safe to serve from our
/// origin: Ink renders it, and modifiers take back everything that could carry script.
/// Raw HTML is shown as text (`neutralizingTags`), links go only to http(s) and mailto (opening in a new tab),
/// images become their alt text (the page's CSP would block them anyway), and a code
/// block's language (put raw into a class attribute by Ink) is dropped.
enum MarkdownHTML {
    static func render(_ markdown: String) -> String {
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .html) { input in escape(String(input.markdown)) })
        parser.addModifier(Modifier(target: .links) { input in link(input.markdown) })
        parser.addModifier(Modifier(target: .images) { input in image(input.markdown) })
        parser.addModifier(Modifier(target: .codeBlocks) { input in codeBlock(input) })
        return parser.html(from: neutralizingTags(markdown))
    }

    /// Every `<` outside code becomes `&lt;` before Ink reads the text, so no tag is ever
    /// parsed: Ink would otherwise take an unclosed `<img …>` as HTML running to the end of
    /// the document. Ink keeps the entity, which the browser shows as `<`. Inside fenced
    /// blocks and backtick spans Ink escapes by itself, so those are left alone.
    static func neutralizingTags(_ markdown: String) -> String {
        var out = ""
        out.reserveCapacity(markdown.count)
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if !out.isEmpty { out += "\n" }
            if line.drop(while: { $0 == " " }).hasPrefix("```") {
                inFence.toggle()
                out += line
                continue
            }
            if inFence {
                out += line
                continue
            }
            var inCode = false
            for character in line {
                if character == "`" { inCode.toggle() }
                out += character == "<" && !inCode ? "&lt;" : String(character)
            }
        }
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `[text](url)`: the text escaped; a link only to an http(s) or mailto address.
    static func link(_ markdown: Substring) -> String {
        guard markdown.hasPrefix("["), let split = markdown.range(of: "](") , markdown.hasSuffix(")") else {
            // A reference link (`[text][name]`) or something odd: its text only.
            return escape(String(markdown.dropFirst().prefix { $0 != "]" }))
        }
        let text = markdown[markdown.index(after: markdown.startIndex)..<split.lowerBound]
        var url = String(markdown[split.upperBound..<markdown.index(before: markdown.endIndex)]).trimmingCharacters(in: .whitespaces)
        if let space = url.firstIndex(of: " ") { url = String(url[..<space]) }  // drop a `"title"`
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:"),
              !url.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 }) else { return escape(String(text)) }
        return "<a href=\"\(escape(url))\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">\(escape(String(text)))</a>"
    }

    /// `![alt](url)`: the alt text.
    static func image(_ markdown: Substring) -> String {
        let alt = markdown.dropFirst(2).prefix { $0 != "]" }
        return escape(String(alt))
    }

    /// Ink writes ``<pre><code class="language-LANG">`` with LANG unescaped: the class goes.
    static func codeBlock(_ input: Modifier.Input) -> String {
        let firstLine = input.markdown.prefix { $0 != "\n" }
        let language = firstLine.drop { $0 == "`" }.trimmingCharacters(in: .whitespaces)
        let opening = language.isEmpty ? "<pre><code>" : "<pre><code class=\"language-\(language)\">"
        guard input.html.hasPrefix(opening) else { return "<pre><code></code></pre>" }
        return "<pre><code>" + input.html.dropFirst(opening.count)
    }
}
