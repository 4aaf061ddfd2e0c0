import Assess
import Testing

@Suite struct MinHeapTests {
    @Test func popsInOrderWhateverThePushOrder() {
        var generator = SystemRandomNumberGenerator()
        var values = (0..<500).map { _ in Int.random(in: -50...50, using: &generator) }
        var heap = MinHeap<Int>()
        for value in values { heap.push(value) }
        #expect(heap.count == 500 && heap.first == values.min())
        var popped: [Int] = []
        while let value = heap.pop() { popped.append(value) }
        values.sort()
        #expect(popped == values)
        #expect(heap.isEmpty && heap.pop() == nil)
    }
}
