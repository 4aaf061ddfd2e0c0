import CCurl

/// Checked wrappers over the shim's typed `curl_easy_setopt` functions: a failing option is a
/// programming or build error, reported with the option's number instead of being ignored.
struct CurlEasyOptions {
    let handle: UnsafeMutableRawPointer
    let url: String

    func set(_ option: CURLoption, _ value: Int) throws {
        try check(tw_easy_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, _ value: String) throws {
        try check(value.withCString { tw_easy_setopt_string(handle, option, $0) }, option)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws {
        try check(tw_easy_setopt_pointer(handle, option, pointer), option)
    }

    /// A blob option; libcurl copies the bytes (CURL_BLOB_COPY).
    func set(_ option: CURLoption, blob: [UInt8]) throws {
        var copy = blob
        let code = copy.withUnsafeMutableBytes { tw_easy_setopt_blob(handle, option, $0.baseAddress, $0.count) }
        try check(code, option)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws {
        guard code == CURLE_OK else {
            let text = String(cString: curl_easy_strerror(code))
            throw TransportError(
                kind: .invalidRequest, curlCode: Int(code.rawValue),
                message: "libcurl rejected option \(option.rawValue): \(text)", url: url)
        }
    }
}
