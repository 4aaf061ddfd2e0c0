/// `pod-template-hash` / controller revision hashes: FNV-32a over the template's contents, written as its
/// decimal digits mapped through the rand alphabet (k8s.io/apimachinery rand.SafeEncodeString),
/// so they look like "698c77d944". Hashes the stored member order (stable for a stored object).
public enum TemplateHash {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)

    public static func hash(_ template: JSONValue, collisionCount: Int64 = 0) -> String {
        var value: UInt32 = 2_166_136_261
        JSONMeasure.hash(template, into: &value)
        if collisionCount > 0 {
            for byte in String(collisionCount).utf8 { value = (value ^ UInt32(byte)) &* 16_777_619 }
        }
        return safeEncode(String(value))
    }

    public static func safeEncode(_ text: String) -> String {
        String(decoding: text.utf8.map { alphabet[Int($0) % alphabet.count] }, as: UTF8.self)
    }
}
