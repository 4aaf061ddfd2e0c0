import Foundation
import Synchronization

/// Where the bearer token comes from, re-read so the client never holds a stale one.
///
/// The kubelet rewrites a projected token about every 48 minutes by swapping the `..data`
/// symlink, so the path's resolved target changes even when `token`'s own mtime does not.
/// A file token is re-read when its resolved path or file identity changes, at least every
/// `maximumAge` (60 s, like client-go), and at once after the server answered 401.
public final class TokenSource: Sendable {
    private enum Origin: Sendable {
        case fixed(String)
        case file(String)
    }

    private struct Cached: Sendable {
        var token: String
        var readAt: ContinuousClock.Instant
        var fingerprint: String
    }

    private let origin: Origin
    private let maximumAge: Duration
    private let cache = Mutex<Cached?>(nil)
    private let reloads = Atomic<Int>(0)
    private let onReload: @Sendable () -> Void

    public static func fixed(_ token: String) -> TokenSource { TokenSource(origin: .fixed(token)) }

    public static func file(_ path: String, maximumAge: Duration = .seconds(60), onReload: @escaping @Sendable () -> Void = {}) -> TokenSource {
        TokenSource(origin: .file(path), maximumAge: maximumAge, onReload: onReload)
    }

    private init(origin: Origin, maximumAge: Duration = .seconds(60), onReload: @escaping @Sendable () -> Void = {}) {
        self.origin = origin
        self.maximumAge = maximumAge
        self.onReload = onReload
    }

    /// The file the token comes from, if any (for diagnostics; never the token itself).
    public var path: String? {
        if case .file(let path) = origin { return path }
        return nil
    }

    /// How many times the token file has been (re-)read.
    public var reloadCount: Int { reloads.load(ordering: .relaxed) }

    /// The current token, re-reading the file when it may have changed.
    public func token() throws -> String {
        switch origin {
        case .fixed(let token):
            return token
        case .file(let path):
            let fingerprint = Self.fingerprint(path)
            let now = ContinuousClock.now
            if let cached = cache.withLock({ $0 }), cached.fingerprint == fingerprint, now - cached.readAt < maximumAge {
                return cached.token
            }
            return try reload(path: path, fingerprint: fingerprint, at: now)
        }
    }

    /// Forgets the cached token: the server rejected it (401), so the next call reads the file.
    public func invalidate() {
        cache.withLock { $0 = nil }
    }

    private func reload(path: String, fingerprint: String, at now: ContinuousClock.Instant) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(file: path, problem: "cannot read the token file: \(error.localizedDescription)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw ConfigError(file: path, problem: "the token file is empty") }
        cache.withLock { $0 = Cached(token: token, readAt: now, fingerprint: fingerprint) }
        reloads.add(1, ordering: .relaxed)
        onReload()
        return token
    }

    /// Resolved path + inode + mtime + size: changes when the kubelet swaps `..data` or a file is replaced.
    private static func fingerprint(_ path: String) -> String {
        var info = stat()
        let resolved = (path as NSString).resolvingSymlinksInPath
        guard stat(resolved, &info) == 0 else { return "missing:\(resolved)" }
        return "\(resolved):\(info.st_ino):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_size)"
    }
}
