// Memory for the C strings and tables a librabbitmq call reads, freed together after the call.

import CRabbitMQ
import FoundationEssentials
import Glibc

final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit { allocations.forEach { free($0) } }

    func bytes(_ text: String) -> amqp_bytes_t {
        bytes(Array(text.utf8))
    }

    func bytes(_ data: [UInt8]) -> amqp_bytes_t {
        let pointer = malloc(max(data.count, 1))!
        data.withUnsafeBytes { if let base = $0.baseAddress { pointer.copyMemory(from: base, byteCount: data.count) } }
        allocations.append(pointer)
        return amqp_bytes_t(len: data.count, bytes: pointer)
    }

    enum Field {
        case string(String)
        case int(Int32)
    }

    /// An AMQP field table (headers, queue arguments).
    func table(_ fields: [(String, Field)]) -> amqp_table_t {
        guard !fields.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        let raw = malloc(MemoryLayout<amqp_table_entry_t>.stride * fields.count)!
        allocations.append(raw)
        let entries = raw.bindMemory(to: amqp_table_entry_t.self, capacity: fields.count)
        for (index, (key, field)) in fields.enumerated() {
            var value = amqp_field_value_t()
            switch field {
            case .string(let text):
                value.kind = UInt8(ascii: "S")
                value.value.bytes = bytes(text)
            case .int(let number):
                value.kind = UInt8(ascii: "I")
                value.value.i32 = number
            }
            entries[index] = amqp_table_entry_t(key: bytes(key), value: value)
        }
        return amqp_table_t(num_entries: Int32(fields.count), entries: entries)
    }
}

extension amqp_bytes_t {
    var array: [UInt8] {
        guard let bytes, len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }

    var string: String { String(decoding: array, as: UTF8.self) }
}

extension amqp_table_t {
    /// The string-valued entries (headers we write are strings; others, like x-death, are skipped).
    var strings: [String: String] {
        var out: [String: String] = [:]
        for index in 0..<Int(num_entries) {
            let entry = entries[index]
            if entry.value.kind == UInt8(ascii: "S") || entry.value.kind == UInt8(ascii: "x") {
                out[entry.key.string] = entry.value.value.bytes.string
            }
        }
        return out
    }
}
