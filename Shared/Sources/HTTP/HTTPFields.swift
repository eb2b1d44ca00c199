// Header names the platform reads and writes.

import HTTPTypes

extension HTTPField.Name {
    public static let requestId = HTTPField.Name("X-Request-Id")!
    public static let traceparent = HTTPField.Name("traceparent")!
}
