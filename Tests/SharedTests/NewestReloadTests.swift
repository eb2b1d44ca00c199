import Testing

@testable import Shared

@Suite struct NewestReloadTests {
    @Test func aReloadThatStartedEarlierCannotReplaceOneThatStartedLater() {
        let catalog = NewestReload(["before the change"])
        let periodic = catalog.begin()  // reads the old state, slowly
        let afterChange = catalog.begin()  // started after a change, reads the new state
        #expect(catalog.publish(afterChange) { _ in ["after the change"] })
        #expect(!catalog.publish(periodic) { _ in ["before the change"] }, "the stale read is dropped")
        #expect(catalog.value == ["after the change"])
    }

    @Test func inOrderReloadsAllPublishAndBuildOnTheCurrentValue() {
        let counter = NewestReload(0)
        for _ in 0..<3 {
            let ticket = counter.begin()
            #expect(counter.publish(ticket) { $0 + 1 })
        }
        #expect(counter.value == 3)
    }

    @Test func aConfirmedValueIsNotReplacedByAnOlderRead() {
        let catalog = NewestReload("current")
        let older = catalog.begin()
        let newer = catalog.begin()
        catalog.confirm(newer)  // found the catalog unchanged
        #expect(!catalog.publish(older) { _ in "stale" })
        #expect(catalog.value == "current")
    }
}
