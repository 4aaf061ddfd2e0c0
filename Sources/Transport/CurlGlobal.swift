import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide libcurl set-up, done exactly once before the first handle is created.
enum CurlGlobal {
    /// `curl_global_init` is not thread-safe and must run once; a static let is initialised once,
    /// atomically. SIGPIPE is ignored because a peer closing a TLS connection would otherwise kill
    /// the process (libcurl's CURLOPT_NOSIGNAL only covers its own signal use).
    static let initialised: Bool = {
        #if canImport(Glibc)
        signal(SIGPIPE, SIG_IGN)
        #endif
        return curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()
}
