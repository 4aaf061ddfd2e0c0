import Logging

/// Defence in depth: metadata that could carry a credential is never printed, even if a caller
/// puts it there by mistake. Applied by both log handlers to every metadata value, recursively.
public enum LogRedaction {
    public static let placeholder = "[REDACTED]"

    /// Key segments (split on `-`, `_`, `.`, `/`, space and camelCase humps) that mark a secret.
    static let secretSegments: Set<String> = [
        "token", "authorization", "bearer", "password", "passwd", "secret", "credential", "credentials",
        "apikey", "cookie",
    ]

    /// True when a metadata value stored under `key` must not be printed.
    ///
    /// `token`, `bearer-token`, `Authorization`, `serviceAccountToken` are redacted;
    /// `token-age` or `tokenReloads` are not (the last segment decides, so figures about tokens stay visible).
    public static func isSecretKey(_ key: String) -> Bool {
        let segments = splitSegments(key)
        guard let last = segments.last else { return false }
        if secretSegments.contains(last) { return true }
        return segments.contains("authorization") || segments.contains("bearer")
    }

    /// True when a string looks like a credential whatever its key: `Bearer …`, `Basic …` or a JWT.
    public static func looksLikeCredential(_ value: String) -> Bool {
        let utf8 = value.utf8
        if utf8.count >= 7 {
            let lower = value.prefix(7).lowercased()
            if lower == "bearer " || lower.hasPrefix("basic ") { return true }
        }
        // A compact JWS: base64url header starting with `eyJ` ("{\"") and two dots.
        if value.hasPrefix("eyJ"), utf8.count > 20 {
            var dots = 0
            for unit in utf8 {
                if unit == 46 { dots += 1 } else if unit == 32 { return false }
            }
            return dots == 2
        }
        return false
    }

    /// The value with every secret replaced by the placeholder.
    public static func redact(_ value: Logger.MetadataValue, key: String) -> Logger.MetadataValue {
        if isSecretKey(key) { return .string(placeholder) }
        switch value {
        case .string(let text):
            return looksLikeCredential(text) ? .string(placeholder) : value
        case .stringConvertible(let convertible):
            return looksLikeCredential(convertible.description) ? .string(placeholder) : value
        case .dictionary(let dictionary):
            var result: Logger.Metadata = [:]
            for (childKey, childValue) in dictionary {
                result[childKey] = redact(childValue, key: childKey)
            }
            return .dictionary(result)
        case .array(let values):
            return .array(values.map { redact($0, key: key) })
        }
    }

    static func splitSegments(_ key: String) -> [String] {
        var segments: [String] = []
        var current = ""
        var previousWasLower = false
        for character in key {
            if character == "-" || character == "_" || character == "." || character == "/" || character == " " {
                if !current.isEmpty { segments.append(current) }
                current = ""
                previousWasLower = false
                continue
            }
            if character.isUppercase, previousWasLower, !current.isEmpty {
                segments.append(current)
                current = ""
            }
            current.append(contentsOf: character.lowercased())
            previousWasLower = character.isLowercase || character.isNumber
        }
        if !current.isEmpty { segments.append(current) }
        return segments
    }
}
