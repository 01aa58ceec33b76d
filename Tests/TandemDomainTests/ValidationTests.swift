import Testing
@testable import TandemDomain

@Suite struct ValidationTests {
    @Test(arguments: ["a@b.co", "  Dana@Example.COM ", "first.last+tag@sub.example.org"])
    func acceptsEmails(email: String) {
        var errors = FieldErrors()
        Validate.email(email, into: &errors)
        #expect(errors.isEmpty)
    }

    @Test(arguments: ["", "dana", "dana@", "@example.com", "dana@example", "da na@example.com", "<x>@example.com", "a@-b.com"])
    func refusesEmails(email: String) {
        var errors = FieldErrors()
        Validate.email(email, into: &errors)
        #expect(errors["email"] != nil)
    }

    @Test func normalisesEmails() {
        #expect(Validate.normalizedEmail("  Dana@Example.COM\n") == "dana@example.com")
    }

    @Test func passwordLength() {
        var short = FieldErrors()
        Validate.password("123456789", into: &short)
        #expect(short["password"] == "Use at least 10 characters.")
        var ok = FieldErrors()
        Validate.password("1234567890", into: &ok)
        #expect(ok.isEmpty)
        var long = FieldErrors()
        Validate.password(String(repeating: "x", count: 73), into: &long)
        #expect(long["password"] != nil)
    }

    @Test func keepsTheFirstErrorOfAField() {
        var errors = FieldErrors()
        errors.add("name", "first")
        errors.add("name", "second")
        #expect(errors["name"] == "first")
        #expect(errors.items.count == 1)
    }

    @Test func slugs() {
        #expect(Slug.make(from: "Acme Analytics, Inc.") == "acme-analytics-inc")
        #expect(Slug.make(from: "  Ünïcode ☃ Shop ") == "n-code-shop")
        #expect(Slug.isValid("spring-sale-2026"))
        #expect(!Slug.isValid("-bad"))
        #expect(!Slug.isValid("has space"))
        #expect(!Slug.isValid(""))
    }
}
