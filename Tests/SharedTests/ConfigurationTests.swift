// Reading configuration: defaults, malformed values and missing secrets name the variable.

import Foundation
import Shared
import Testing

@Suite struct ConfigurationTests {
    @Test func defaultsFollowTheSeed() throws {
        let common = try CommonSettings(EnvironmentVariables([:]))
        #expect(common.port == 8080)
        #expect(common.logLevel == .info)
    }

    @Test func malformedPortNamesTheVariable() {
        #expect(throws: ConfigurationError.self) { try CommonSettings(EnvironmentVariables(["PORT": "80a"])) }
        do {
            _ = try CommonSettings(EnvironmentVariables(["PORT": "70000"]))
            Issue.record("PORT 70000 accepted")
        } catch let error as ConfigurationError {
            #expect(error.variable == "PORT")
            #expect(error.description.contains("70000"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func unknownLogLevelIsRejected() {
        #expect(throws: ConfigurationError.self) { try CommonSettings(EnvironmentVariables(["LOG_LEVEL": "loud"])) }
        #expect((try? CommonSettings(EnvironmentVariables(["LOG_LEVEL": "WARN"])))?.logLevel == .warning)
    }

    @Test func secretsMustBePresentAndLongEnough() throws {
        let env = EnvironmentVariables(["SHORT": "abc", "GOOD": String(repeating: "k", count: 32)])
        #expect(try env.secret("GOOD", minimumBytes: 32).count == 32)
        for name in ["SHORT", "MISSING"] {
            do {
                _ = try env.secret(name, minimumBytes: 32)
                Issue.record("\(name) accepted")
            } catch let error as ConfigurationError {
                #expect(error.variable == name)
            }
        }
    }

    @Test func dependencyURLMustHaveItsScheme() throws {
        let env = EnvironmentVariables(["DATABASE_URL": "mysql://x/y", "REDIS_URL": "redis://127.0.0.1:6379/0"])
        #expect(throws: ConfigurationError.self) { try Dependency.postgres.url(in: env) }
        #expect(try Dependency.redis.url(in: env).port == 6379)
        #expect(throws: ConfigurationError.self) { try Dependency.rabbitmq.url(in: env) }
    }

    @Test func queuesAreClassicUnlessQuorumIsAsked() throws {
        let url = "amqp://guest:guest@127.0.0.1:5672/hotel"
        let plain = try AMQPSettings(EnvironmentVariables(["RABBITMQ_URL": url]))
        #expect(plain.queueType == .classic && plain.vhost == "hotel")
        #expect(try AMQPSettings(EnvironmentVariables(["RABBITMQ_URL": url, "RABBITMQ_QUEUE_TYPE": "quorum"])).queueType == .quorum)
        #expect(throws: ConfigurationError.self) { try AMQPSettings(EnvironmentVariables(["RABBITMQ_URL": url, "RABBITMQ_QUEUE_TYPE": "mirrored"])) }
    }

    @Test func clickHouseSignsInFromTheURLOrTheUserVariables() throws {
        let plain = try ClickHouseEndpoint(EnvironmentVariables(["CLICKHOUSE_URL": "clickhouse://ch:8124/analytics"]))
        #expect(plain.base == "http://ch:8124/" && plain.database == "analytics" && plain.authorization == nil && plain.headers.isEmpty)
        // As compose gives them: the URL without credentials, the user and password beside it.
        let compose = try ClickHouseEndpoint(EnvironmentVariables([
            "CLICKHOUSE_URL": "clickhouse://clickhouse:8123/hotel_analytics", "CLICKHOUSE_USER": "hotel", "CLICKHOUSE_PASSWORD": "hotel_click",
        ]))
        #expect(compose.authorization == "Basic " + Data("hotel:hotel_click".utf8).base64EncodedString())
        // The URL's own credentials win.
        let inURL = try ClickHouseEndpoint(EnvironmentVariables(["CLICKHOUSE_URL": "clickhouse://ops:s3cret@ch:8123/", "CLICKHOUSE_USER": "hotel"]))
        #expect(inURL.authorization == "Basic " + Data("ops:s3cret".utf8).base64EncodedString() && inURL.database == "hotel_analytics")
    }
}
