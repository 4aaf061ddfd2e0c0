/// Minimal JSON text writing shared by the log handlers and the audit report.
///
/// Hand-written because log lines are emitted on hot paths and key order must be stable
/// (time, level, logger, message first), which `JSONEncoder` does not promise.
enum JSONText {
    /// Appends `text` as a JSON string literal (with quotes) to `out`.
    static func appendString(_ text: String, to out: inout String) {
        out.append("\"")
        var needsEscaping = false
        for unit in text.utf8 where unit < 0x20 || unit == 0x22 || unit == 0x5C {
            needsEscaping = true
            break
        }
        if !needsEscaping {
            out.append(text)
            out.append("\"")
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }

    static func quoted(_ text: String) -> String {
        var out = ""
        appendString(text, to: &out)
        return out
    }
}
