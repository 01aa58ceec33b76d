import Foundation
import NIOCore
import Testing
@testable import TandemIntegrations

@Suite("Message composition and reply framing")
struct MIMEMessageTests {
    @Test func multiLineReplyArrivingInPiecesIsOneReply() throws {
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer(string: "250-smtp.example.com at your service\r\n250-AUTH PLAIN LO")
        #expect(try decoder.decode(&buffer) == nil)
        buffer.writeString("GIN\r\n250-STARTTLS\n250 SIZE 35882577\r")
        #expect(try decoder.decode(&buffer) == nil)
        buffer.writeString("\n221 bye\r\n")

        let reply = try #require(try decoder.decode(&buffer))
        #expect(reply.code == 250)
        #expect(reply.lines == ["smtp.example.com at your service", "AUTH PLAIN LOGIN", "STARTTLS", "SIZE 35882577"])
        let extensions = SMTPConversation.extensions(in: reply)
        #expect(extensions["AUTH"] == ["PLAIN", "LOGIN"])
        #expect(extensions["STARTTLS"] == [])
        #expect(extensions["SIZE"] == ["35882577"])

        #expect(try decoder.decode(&buffer) == SMTPReply(code: 221, lines: ["bye"]))
    }

    @Test(arguments: ["hello\r\n", "25 short\r\n", "250-a\r\n251 b\r\n", "250xtext\r\n"])
    func malformedRepliesAreRejected(_ text: String) {
        var decoder = SMTPReplyDecoder()
        var buffer = ByteBuffer(string: text)
        #expect(throws: SMTPProtocolViolation.self) {
            while try decoder.decode(&buffer) != nil {}
        }
    }

    @Test func plainASCIISubjectStaysReadable() {
        #expect(MIMEMessage.subjectHeader("Your payout was sent") == "Subject: Your payout was sent")
        #expect(MIMEMessage.subjectHeader("about =?x?=").hasPrefix("Subject: =?UTF-8?B?"))
    }

    @Test func encodedWordsStayShortAndNeverSplitACharacter() throws {
        let subject = String(repeating: "é👩‍👩‍👧‍👦", count: 12)
        let words = MIMEMessage.encodedWords(subject)
        #expect(words.count > 1)
        var joined = Data()
        for word in words {
            #expect(word.count <= 75)
            let chunk = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            #expect(String(data: chunk, encoding: .utf8) != nil)
            joined += chunk
        }
        #expect(String(decoding: joined, as: UTF8.self) == subject)
    }

    @Test func dateIsRFC5322InUTC() {
        #expect(MIMEMessage.rfc5322Date(Date(timeIntervalSince1970: 1_057_056_757)) == "Tue, 1 Jul 2003 10:52:37 +0000")
    }

    @Test func quotedPrintableRoundTripsAndKeepsLinesShort() throws {
        let bodies = ["", "no newline", "ends with newline\n", "a = b\t\nx  \n\r\nmixed\rbreaks", String(repeating: "ünï", count: 80), "\n"]
        for body in bodies {
            let encoded = MIMEMessage.quotedPrintable(body)
            #expect(encoded.utf8.allSatisfy { $0 < 0x80 })
            #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
            #expect(encoded.isEmpty || encoded.hasSuffix("\r\n"))
            let expected = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                .replacingOccurrences(of: "\n", with: "\r\n")
            #expect(try ReceivedMessage.decodeQuotedPrintable(encoded) == expected)
        }
    }

    @Test func dotStuffingAndTerminator() throws {
        let message = try MIMEMessage(
            email: OutgoingEmail(from: "", to: "a@example.com", subject: "s", textBody: ".\n..x\nok"),
            defaultSender: "tandem@localhost"
        )
        #expect(message.sender == "tandem@localhost")
        let payload = String(decoding: message.dataPayload, as: UTF8.self)
        #expect(payload.hasSuffix("\r\n\r\n..\r\n...x\r\nok=\r\n.\r\n"))
    }
}
