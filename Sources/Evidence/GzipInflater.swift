import CZlib

/// Streaming gzip decompression (zlib `inflate`), any number of concatenated members
/// (what `cat a.gz b.gz` and log rotators produce), in constant memory.
final class GzipInflater {
    enum Failure: Error, Equatable {
        /// The stream ended inside a member.
        case truncated
        /// zlib rejected the data (bad header, CRC mismatch, garbage after a member…).
        case corrupt(String)
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8]
    private var insideMember = false
    private var initialised = false

    init(outputBufferSize: Int = 256 * 1024) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = [UInt8](repeating: 0, count: outputBufferSize)
    }

    deinit {
        if initialised { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    static func isGzip(_ prefix: UnsafeRawBufferPointer) -> Bool {
        prefix.count >= 2 && prefix[0] == 0x1F && prefix[1] == 0x8B
    }

    /// Inflates `input`, handing decompressed bytes to `onOutput` as they come.
    func feed(_ input: UnsafeRawBufferPointer, _ onOutput: (UnsafeRawBufferPointer) -> Void) throws(Failure) {
        guard let inputBase = input.baseAddress, input.count > 0 else { return }
        var consumed = 0
        while consumed < input.count {
            if !insideMember {
                // Between members: padding zeros are tolerated (some tools pad), anything else must be a new member.
                if input[consumed] == 0 {
                    consumed += 1
                    continue
                }
                guard input[consumed] == 0x1F else { throw .corrupt("data after the end of a gzip member") }
                try startMember()
            }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: inputBase.assumingMemoryBound(to: Bytef.self) + consumed)
            stream.pointee.avail_in = uInt(input.count - consumed)
            var status: Int32 = Z_OK
            repeat {
                status = output.withUnsafeMutableBytes { buffer -> Int32 in
                    stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(buffer.count)
                    let result = inflate(stream, Z_NO_FLUSH)
                    let produced = buffer.count - Int(stream.pointee.avail_out)
                    if produced > 0 { onOutput(UnsafeRawBufferPointer(rebasing: buffer[0..<produced])) }
                    return result
                }
                switch status {
                case Z_OK, Z_STREAM_END:
                    break
                case Z_BUF_ERROR:
                    // No progress possible: all input used (more will come) with output space left.
                    break
                default:
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw .corrupt(message)
                }
            } while status == Z_OK && (stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0)
            if status == Z_BUF_ERROR, stream.pointee.avail_in > 0 { throw .corrupt("inflate made no progress") }
            consumed = input.count - Int(stream.pointee.avail_in)
            if status == Z_STREAM_END {
                insideMember = false
            } else if stream.pointee.avail_in == 0 {
                break
            }
        }
    }

    /// Call at end of input: throws `.truncated` when the input stopped inside a member.
    func finish() throws(Failure) {
        if insideMember { throw .truncated }
    }

    private func startMember() throws(Failure) {
        let status: Int32
        if initialised {
            status = inflateReset(stream)
        } else {
            status = tw_inflate_init_gzip(stream)
            initialised = status == Z_OK
        }
        guard status == Z_OK else { throw .corrupt("cannot initialise zlib (\(status))") }
        insideMember = true
    }
}
