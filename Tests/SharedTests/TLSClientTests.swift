// HTTP1Client over TLS against a real TLS server (Python's ssl module, with a CA and a certificate
// for "localhost" made by the openssl command): calls and keep-alive on a trusted certificate, and
// refusals, before anything is sent, of a certificate nobody vouches for or one for another name.

import Foundation
import NIOCore
import NIOPosix
@testable import Shared
import Testing

@Suite(.serialized) struct TLSClientTests {
    static let server = #"""
        import http.server, os, ssl, sys, threading
        # Ends with the test: when the test closes this process's stdin (or itself ends).
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def reply(self, status, body):
                self.send_response(status); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
            def do_GET(self): self.reply(200, b"hello over tls")
            def do_POST(self): self.reply(201, self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            def log_message(self, *args): pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    /// Runs `body` with the server's port and the CA file that signed its certificate. The set-up
    /// waits for processes: it runs off Swift's few cooperative threads, which the calls need.
    static func withServer(_ body: (Int, String) async throws -> Void) async throws {
        let (dir, process, input, port) = try await NIOThreadPool.singleton.runIfActive { try startServer() }
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: dir)
        }
        try await body(port, "\(dir)/ca.pem")
    }

    static func startServer() throws -> (String, Process, Pipe, Int) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "subjectAltName=DNS:localhost\n".write(toFile: "\(dir)/san.ext", atomically: true, encoding: .utf8)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run("openssl", ["req", "-x509"] + key + ["-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.pem", "-days", "2", "-subj", "/CN=hotel-platform test CA"])
        try run("openssl", ["req"] + key + ["-keyout", "\(dir)/server.key", "-out", "\(dir)/server.csr", "-subj", "/CN=localhost"])
        try run("openssl", [
            "x509", "-req", "-in", "\(dir)/server.csr", "-CA", "\(dir)/ca.pem", "-CAkey", "\(dir)/ca.key", "-CAcreateserial",
            "-out", "\(dir)/server.pem", "-days", "2", "-extfile", "\(dir)/san.ext",
        ])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", server, "\(dir)/server.pem", "\(dir)/server.key"]
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { line.append(byte) }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else { throw TLSError("the TLS server did not start") }
        return (dir, process, input, port)
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TLSError("\(tool) \(arguments.first ?? "") failed") }
    }

    @Test func callsAServerWhoseCertificateIsTrustedAndKeepsTheConnection() async throws {
        try await Self.withServer { port, ca in
            let client = HTTP1Client(trust: try TLSTrust(caFile: ca))
            let got = try await client.execute(.get, "https://localhost:\(port)/", timeout: .seconds(10))
            #expect(got.status == .ok && String(buffer: got.body) == "hello over tls")
            let echoed = try await client.execute(.post, "https://localhost:\(port)/echo", body: ByteBuffer(string: "{\"a\":1}"), timeout: .seconds(10))
            #expect(echoed.status == .created && String(buffer: echoed.body) == "{\"a\":1}")
            #expect(client.idleConnections(to: "https://localhost:\(port)") == 1, "both calls went over one kept connection")
            await client.shutdown()
        }
    }

    @Test func refusesACertificateNobodyVouchesForOrForAnotherName() async throws {
        try await Self.withServer { port, ca in
            let untrusting = HTTP1Client()  // the system's trust store does not know the test CA
            await #expect(throws: HTTP1Client.Failure.self) { try await untrusting.execute(.get, "https://localhost:\(port)/", timeout: .seconds(10)) }
            do {
                _ = try await untrusting.execute(.post, "https://localhost:\(port)/", body: ByteBuffer(string: "x"), timeout: .seconds(10))
                Issue.record("an unknown CA must not pass")
            } catch HTTP1Client.Failure.connect(let reason) {
                #expect(reason.contains("unable to get local issuer certificate"), "a failed handshake is a failure to connect: \(reason)")
            }
            let trusting = HTTP1Client(trust: try TLSTrust(caFile: ca))
            do {
                _ = try await trusting.execute(.get, "https://127.0.0.1:\(port)/", timeout: .seconds(10))
                Issue.record("a certificate for localhost must not pass for 127.0.0.1")
            } catch HTTP1Client.Failure.connect(let reason) {
                #expect(reason.contains("mismatch"), "\(reason)")
            }
            #expect(throws: TLSError.self) { try TLSTrust(caFile: "/no/such/ca.pem") }
            await untrusting.shutdown()
            await trusting.shutdown()
        }
    }

    /// An https host that cannot be reached (unknown to DNS, or refusing) is a failure to connect,
    /// and its unused handshake is settled: a debug build stopped on the leaked promise (an operator
    /// registering a supplier at https://0.com took supplier-adapter down; found by fuzzing).
    @Test func anHTTPSHostThatCannotBeReachedIsAFailureToConnect() async throws {
        let client = HTTP1Client()
        for url in ["https://nowhere.invalid/", "https://127.0.0.1:1/"] {
            do {
                _ = try await client.execute(.get, url, timeout: .seconds(10))
                Issue.record("\(url) must not answer")
            } catch HTTP1Client.Failure.connect {
            }
        }
        await client.shutdown()
    }
}
