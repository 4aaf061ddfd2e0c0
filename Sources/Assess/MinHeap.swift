/// A binary min-heap: the smallest element first. Ties come out in no particular order; a caller
/// that needs them in insertion order makes the order part of the element's comparison.
public struct MinHeap<Element: Comparable> {
    private var elements: [Element] = []

    public init() {}

    public var count: Int { elements.count }
    public var isEmpty: Bool { elements.isEmpty }
    /// The smallest element, left in the heap.
    public var first: Element? { elements.first }

    public mutating func reserveCapacity(_ capacity: Int) { elements.reserveCapacity(capacity) }

    public mutating func push(_ element: Element) {
        elements.append(element)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard elements[child] < elements[parent] else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the smallest element.
    @discardableResult
    public mutating func pop() -> Element? {
        guard !elements.isEmpty else { return nil }
        elements.swapAt(0, elements.count - 1)
        let top = elements.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < elements.count, elements[left] < elements[smallest] { smallest = left }
            if right < elements.count, elements[right] < elements[smallest] { smallest = right }
            guard smallest != parent else { break }
            elements.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}

extension MinHeap: Sendable where Element: Sendable {}
extension MinHeap: Equatable where Element: Equatable {}
