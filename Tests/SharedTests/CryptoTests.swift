// Crypto over OpenSSL against published vectors: RFC 4231 (HMAC-SHA256), the GCM specification's
// AES-256 test cases 13-16 (as used by NIST's GCM validation), PBKDF2-HMAC-SHA256 (RFC 7914 §11).

import Foundation
import Shared
import Testing

func bytes(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        out.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return out
}

@Suite struct CryptoTests {
    @Test(arguments: [
        (bytes(String(repeating: "0b", count: 20)), Array("Hi There".utf8), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (bytes(String(repeating: "aa", count: 20)), bytes(String(repeating: "dd", count: 50)), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (bytes(String(repeating: "aa", count: 131)), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([], [], "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
    ])
    func hmacSHA256MatchesRFC4231(key: [UInt8], message: [UInt8], expected: String) {
        #expect(Digest.hex(Digest.hmacSHA256(key: key, message: message)) == expected)
        let prepared = HMACKey(key)
        #expect(Digest.hex(prepared.authenticate(message)) == expected, "a prepared key gives the same MAC")
        #expect(Digest.hex(prepared.authenticate(message)) == expected, "and again: each message starts from the key alone")
        #expect(Digest.hex(prepared.authenticate(message.prefix(3))) == Digest.hex(Digest.hmacSHA256(key: key, message: message.prefix(3))))
    }

    @Test func sha256MatchesKnownDigests() {
        #expect(Digest.hex(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hex(Digest.sha256([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    static let key15 = bytes("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
    static let iv15 = bytes("cafebabefacedbaddecaf888")
    static let plain15 = bytes("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255")
    static let cipher15 = bytes("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad")

    @Test func aesGCMMatchesSpecTestCases() throws {
        let zero = [UInt8](repeating: 0, count: 32), zeroIV = [UInt8](repeating: 0, count: 12)
        let case13 = try AESGCM.seal([UInt8](), key: zero, nonce: zeroIV)
        #expect(case13.ciphertext.isEmpty && Digest.hex(case13.tag) == "530f8afbc74536b9a963b4f1c4cb738b")
        let case14 = try AESGCM.seal([UInt8](repeating: 0, count: 16), key: zero, nonce: zeroIV)
        #expect(Digest.hex(case14.ciphertext) == "cea7403d4d606b6e074ec5d3baf39d18")
        #expect(Digest.hex(case14.tag) == "d0d1c8a799996bf0265b98b5d48ab919")
        let case15 = try AESGCM.seal(Self.plain15, key: Self.key15, nonce: Self.iv15)
        #expect(case15.ciphertext == Self.cipher15)
        #expect(Digest.hex(case15.tag) == "b094dac5d93471bdec1a502270e3cc6c")
        let aad = bytes("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let case16 = try AESGCM.seal(Array(Self.plain15.prefix(60)), key: Self.key15, nonce: Self.iv15, aad: aad)
        #expect(case16.ciphertext == Array(Self.cipher15.prefix(60)))
        #expect(Digest.hex(case16.tag) == "76fc6ece0f4e1768cddf8853bb2d551b")
        #expect(try AESGCM.open(case16, key: Self.key15, aad: aad) == Array(Self.plain15.prefix(60)))
    }

    @Test func tamperedCiphertextTagOrAADFailsToOpen() throws {
        let sealed = try AESGCM.seal(Self.plain15, key: Self.key15, nonce: Self.iv15, aad: [1, 2, 3])
        var flipped = sealed.ciphertext
        flipped[5] ^= 0x01
        #expect(throws: AESGCM.Failure.authenticationFailed) {
            try AESGCM.open(.init(nonce: sealed.nonce, ciphertext: flipped, tag: sealed.tag), key: Self.key15, aad: [1, 2, 3])
        }
        var badTag = sealed.tag
        badTag[0] ^= 0x80
        #expect(throws: AESGCM.Failure.authenticationFailed) {
            try AESGCM.open(.init(nonce: sealed.nonce, ciphertext: sealed.ciphertext, tag: badTag), key: Self.key15, aad: [1, 2, 3])
        }
        #expect(throws: AESGCM.Failure.authenticationFailed) { try AESGCM.open(sealed, key: Self.key15, aad: [1, 2, 4]) }
        #expect(throws: AESGCM.Failure.badKey) { try AESGCM.seal([1], key: [1, 2, 3]) }
    }

    @Test func secretBoxRoundTripsAndBindsItsContext() throws {
        let box = SecretBox(secret: "an-encryption-secret-of-32-bytes-or-more")
        let sealed = try box.seal("supplier-api-key:s3cr3t", context: "HBX")
        #expect(!sealed.contains("s3cr3t"))
        #expect(try box.open(sealed, context: "HBX") == "supplier-api-key:s3cr3t")
        #expect(try box.seal("same", context: "HBX") != box.seal("same", context: "HBX"), "a fresh nonce every time")
        #expect(throws: AESGCM.Failure.authenticationFailed) { try box.open(sealed, context: "OTHER") }
        #expect(throws: AESGCM.Failure.authenticationFailed) {
            try SecretBox(secret: "a-different-secret-of-32-bytes-or-more").open(sealed, context: "HBX")
        }
        #expect(throws: AESGCM.Failure.malformed) { try box.open("v1.!!", context: "HBX") }
    }

    @Test func pbkdf2MatchesRFC7914AndVerifies() {
        #expect(Digest.hex(PasswordHash.derive("password", salt: Array("salt".utf8), iterations: 1)) == "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        #expect(Digest.hex(PasswordHash.derive("password", salt: Array("salt".utf8), iterations: 4096)) == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
        let stored = PasswordHash.make("api-secret", iterations: 1000)
        #expect(stored.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(PasswordHash.verify("api-secret", against: stored))
        #expect(!PasswordHash.verify("api-secreT", against: stored))
        #expect(!PasswordHash.verify("api-secret", against: "plain-text"))
        #expect(PasswordHash.make("x", iterations: 1000) != PasswordHash.make("x", iterations: 1000), "salted")
    }

    @Test func base64URLRoundTripsAndRejectsOtherAlphabets() {
        for count in 0..<40 {
            let data = Digest.randomBytes(count)
            let text = Base64URL.encode(data)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == data)
        }
        #expect(Base64URL.decode("a+b/") == nil)
        #expect(Base64URL.decode("a") == nil)
    }

    @Test func constantTimeEqualsComparesContents() {
        #expect(Digest.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Digest.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Digest.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(Digest.randomBytes(32) != Digest.randomBytes(32))
    }
}

@Suite struct Base64URLTests {
    @Test(arguments: [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")])
    func rfc4648Vectors(_ plain: String, _ encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func agreesWithFoundationOnRandomBytesUsingTheURLAlphabet() {
        for length in 0..<200 {
            let bytes = Digest.randomBytes(length)
            let expected = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == expected)
            #expect(Base64URL.decode(expected) == bytes)
        }
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
    }

    @Test(arguments: ["a", "abcde", "ab=c", "a+b/", "Zm9v\n", "é", "Zm 9v"])
    func refusesWhatIsNotBase64URL(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}

/// OpenSSL left to itself frees its state in an atexit handler, while other threads may still hash:
/// the process then crashes on its way out (a whole test run once ended so). This test process is run
/// again as a child that exits while four threads hash and MAC, twenty times: each must exit 0.
@Suite struct CryptoAtExitTests {
    static let childVariable = "HOTEL_TEST_EXIT_WHILE_HASHING"

    @Test func theProcessExitsCleanlyWhileThreadsStillHash() throws {
        if ProcessInfo.processInfo.environment[Self.childVariable] != nil {
            for _ in 0..<4 {
                Thread.detachNewThread {
                    let block = [UInt8](repeating: 7, count: 4096)
                    while true {
                        _ = Digest.sha256(block)
                        _ = Digest.hmacSHA256(key: block.prefix(32), message: block)
                    }
                }
            }
            Thread.sleep(forTimeInterval: 0.02)
            exit(0)
        }
        for run in 1...20 {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
            child.arguments = ["--testing-library", "swift-testing", "--filter", "CryptoAtExitTests"]
            child.environment = ProcessInfo.processInfo.environment.merging([Self.childVariable: "1"]) { $1 }
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            child.waitUntilExit()
            #expect(child.terminationReason == .exit && child.terminationStatus == 0, "run \(run): ended by \(child.terminationReason) \(child.terminationStatus)")
            if child.terminationReason != .exit || child.terminationStatus != 0 { break }
        }
    }
}
