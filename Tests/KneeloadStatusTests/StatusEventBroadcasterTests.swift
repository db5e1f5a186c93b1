import KneeloadEngine
import Testing

@testable import KneeloadStatus

@Suite struct StatusEventBroadcasterTests {
    func step(_ i: Int) -> StatusEvent { .step(StepLoad(time: Double(i), peakBW: 1, impulseBWs: 0.5)) }

    @Test func aFullWatcherLosesEventsAndIsToldHowMany() async {
        let broadcaster = StatusEventBroadcaster(capacity: 4)
        let slow = broadcaster.subscribe()
        let other = broadcaster.subscribe()
        for i in 0..<10 { broadcaster.publish(step(i)) }
        #expect(broadcaster.droppedEvents == 12)  // 6 for each watcher
        var slowEvents = slow.makeAsyncIterator()
        var received: [StatusEvent] = []
        for _ in 0..<4 { received.append(await slowEvents.next()!) }
        #expect(received == (0..<4).map(step))
        broadcaster.publish(step(10))
        #expect(await slowEvents.next() == .eventsDropped(count: 6))
        #expect(await slowEvents.next() == step(10))
        // The other watcher is still full: event 10 is dropped for it too, and told later.
        #expect(broadcaster.droppedEvents == 13)
        var otherEvents = other.makeAsyncIterator()
        for i in 0..<4 { #expect(await otherEvents.next() == step(i)) }
        broadcaster.publish(step(11))
        #expect(await otherEvents.next() == .eventsDropped(count: 7))
        #expect(await otherEvents.next() == step(11))
    }

    @Test func finishEndsWatchersAndDroppedStreamsUnsubscribe() async {
        let broadcaster = StatusEventBroadcaster()
        var kept: AsyncStream<StatusEvent>? = broadcaster.subscribe()
        let watched = broadcaster.subscribe()
        #expect(broadcaster.watcherCount == 2)
        kept = nil
        #expect(kept == nil && broadcaster.watcherCount == 1)
        broadcaster.publish(step(1))
        broadcaster.finish()
        var iterator = watched.makeAsyncIterator()
        #expect(await iterator.next() == step(1))
        #expect(await iterator.next() == nil)
        #expect(broadcaster.watcherCount == 0)
        var late = broadcaster.subscribe().makeAsyncIterator()
        #expect(await late.next() == nil)
    }
}
