import Mustache
import Testing
@testable import TandemWeb

/// The reflected-once model must render exactly as Mustache renders the plain structs.
@Suite struct RenderTreeTests {
    struct Row { let name: String; let note: String?; let flag: Bool; let count: Int }
    struct Inner { let title: String }
    struct Page { let csrf: String; let note: String; let rows: [Row]; let empty: [Row]; let inner: Inner?; let missing: Inner?; let tags: [String] }

    @Test func aTreeRendersWhatTheStructRenders() throws {
        let template = try MustacheTemplate(string: """
            {{#rows}}[{{name}} {{note}} {{csrf}} {{#flag}}on{{/flag}}{{^flag}}off{{/flag}} {{count}}]{{/rows}}\
            {{^empty}}none{{/empty}}{{#inner}}<{{title}}>{{/inner}}{{^missing}}no-missing{{/missing}}{{#tags}}{{.}},{{/tags}}
            """)
        let page = Page(
            csrf: "tok&", note: "page note",
            rows: [Row(name: "a<b", note: nil, flag: true, count: 3), Row(name: "c", note: "own", flag: false, count: 0)],
            empty: [], inner: Inner(title: "T"), missing: nil, tags: ["x", "y"]
        )
        let plain = template.render(page)
        let node = try #require(RenderNode.tree(page) as? RenderNode)
        let rows = try #require(node.fields["rows"] as? [Any])
        #expect(rows.allSatisfy { $0 is RenderNode }, "every row is reflected once, not on every tag")
        #expect(node.fields["inner"] is RenderNode)
        #expect(node.fields["missing"] == nil)
        let tree = template.render(node)
        #expect(tree == plain)
        // A nil field falls through to the page's own `note`, as Mustache does for the struct.
        #expect(plain.contains("[a&lt;b page note tok&amp; on 3]"))
        #expect(plain.contains("[c own tok&amp; off 0]"))
        #expect(plain.hasSuffix("none<T>no-missingx,y,"))
    }
}
