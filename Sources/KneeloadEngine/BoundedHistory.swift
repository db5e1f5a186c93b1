/// The newest `capacity` elements of a sequence, oldest dropped first. Storage is reserved up front and reused,
/// so appending in steady state never allocates (the engine runs per sample on a small board).
struct BoundedHistory<Element: Sendable & Equatable>: Sendable, Equatable {
    let capacity: Int
    private var storage: [Element]
    /// Index in `storage` of the oldest element once the storage is full.
    private var oldest = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        storage = []
        storage.reserveCapacity(self.capacity)
    }

    /// Keeps the newest `capacity` of `elements` (given oldest first).
    init(capacity: Int, elements: [Element]) {
        self.init(capacity: capacity)
        for element in elements { append(element) }
    }

    var count: Int { storage.count }
    var isEmpty: Bool { storage.isEmpty }

    mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[oldest] = element
            oldest = (oldest + 1) % capacity
        }
    }

    /// The element `age` places back from the newest (0 = newest); `nil` beyond what is kept.
    func element(age: Int) -> Element? {
        guard age >= 0, age < storage.count else { return nil }
        return storage[(oldest + storage.count - 1 - age) % storage.count]
    }

    /// Changes the element `age` places back from the newest; does nothing beyond what is kept.
    mutating func modifyElement(age: Int, _ change: (inout Element) -> Void) {
        guard age >= 0, age < storage.count else { return }
        change(&storage[(oldest + storage.count - 1 - age) % storage.count])
    }

    /// All kept elements, oldest first.
    var ordered: [Element] {
        Array(storage[oldest...] + storage[..<oldest])
    }

    static func == (lhs: BoundedHistory, rhs: BoundedHistory) -> Bool {
        lhs.capacity == rhs.capacity && lhs.ordered == rhs.ordered
    }
}
