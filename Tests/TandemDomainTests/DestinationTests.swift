import TandemDomain
import Testing

@Suite struct DestinationTests {
    @Test(arguments: [
        ("https://shop.example.com", "https://shop.example.com?tdm_click=abc"),
        ("https://shop.example.com/p?ref=x", "https://shop.example.com/p?ref=x&tdm_click=abc"),
        ("https://shop.example.com/p?", "https://shop.example.com/p?tdm_click=abc"),
        ("https://shop.example.com/p?a=1&", "https://shop.example.com/p?a=1&tdm_click=abc"),
        ("https://shop.example.com/p#pricing", "https://shop.example.com/p?tdm_click=abc#pricing"),
        ("https://shop.example.com/p?a=1#x?y", "https://shop.example.com/p?a=1&tdm_click=abc#x?y"),
        ("https://shop.example.com/ü?q=é", "https://shop.example.com/ü?q=é&tdm_click=abc"),
    ])
    func theClickIDJoinsTheQueryBeforeTheFragment(destination: String, expected: String) {
        #expect(Destination.withClickID(destination, clickID: "abc") == expected)
    }
}
