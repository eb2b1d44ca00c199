// `%XX` sequences decoded: path parameters reach a route as sent (`fraud%40example.com`), and the
// values of OTEL_EXPORTER_OTLP_HEADERS are URL-encoded.

extension String {
    /// The text with every `%XX` decoded; nil when a sequence is malformed or the bytes are not UTF-8.
    public var percentDecoded: String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(), let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
