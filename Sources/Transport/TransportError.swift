/// Why a transfer failed below HTTP: the server never answered, TLS did not verify, the stream broke.
/// HTTP error statuses are not transport errors; they arrive as responses.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case invalidRequest
        case couldNotConnect
        case tlsVerificationFailed
        case tlsSetupFailed
        case timedOut
        case connectionLost
        case cancelled
        case other
    }

    public var kind: Kind
    /// libcurl's result code (CURLE_*), 0 when the error did not come from libcurl.
    public var curlCode: Int
    public var message: String
    public var url: String

    public init(kind: Kind, curlCode: Int = 0, message: String, url: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
        self.url = url
    }

    public var description: String {
        let code = curlCode == 0 ? "" : " (curl error \(curlCode))"
        return "\(url): \(message)\(code)"
    }

    /// Worth retrying with backoff: the server may come back.
    public var isTransient: Bool {
        switch kind {
        case .couldNotConnect, .timedOut, .connectionLost, .other: return true
        case .invalidRequest, .tlsVerificationFailed, .tlsSetupFailed, .cancelled: return false
        }
    }
}
