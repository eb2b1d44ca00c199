import Foundation
import Glibc
import Testing

@testable import Shared

@Suite struct ProcessMemoryTests {
    /// Resident kilobytes of this process.
    static func residentKilobytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    @Test func freedPagesInTheMiddleOfTheHeapGoBackToTheSystem() throws {
        // 96 MB in small blocks, then all but one in a hundred freed: the live ones, 50 kB apart,
        // keep glibc from shrinking the heap from its top, so the freed pages stay resident.
        let count = 192_000
        var blocks = [UnsafeMutableRawPointer?](repeating: nil, count: count)
        for index in 0..<count {
            let block = malloc(512)!
            memset(block, 1, 512)
            blocks[index] = block
        }
        for index in 0..<count where index % 100 != 0 {
            free(blocks[index])
            blocks[index] = nil
        }
        let before = try Self.residentKilobytes()
        #expect(ProcessMemory.returnFreePages())
        let after = try Self.residentKilobytes()
        for block in blocks { free(block) }
        #expect(before - after > 30_000, "resident \(before) kB before the scavenge, \(after) kB after")
    }

    /// Whether glibc mapped the block by itself (its chunk header's IS_MMAPPED bit, just before it).
    static func mappedApart(_ block: UnsafeMutableRawPointer) -> Bool {
        block.load(fromByteOffset: -MemoryLayout<Int>.size, as: Int.self) & 0x2 != 0
    }

    @Test func blocksUpToEightMebibytesComeFromTheHeapOnceFreedBlocksAreKept() throws {
        ProcessMemory.keepFreedForReuse()
        // Past 8 MiB a block is mapped apart, unless a free run of the heap is large enough for it: other
        // tests of this process free blocks too (16 MiB once came from such a run), so 512 MiB (never
        // touched, so never resident), more than any run the heap keeps.
        let (large, huge) = (malloc(4 << 20)!, malloc(512 << 20)!)
        defer { free(large); free(huge) }
        #expect(!Self.mappedApart(large), "4 MiB from the heap (glibc's default maps every block over 128 KiB apart)")
        #expect(Self.mappedApart(huge), "512 MiB still mapped apart")
    }
}
