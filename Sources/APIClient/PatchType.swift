/// The patch formats the API server accepts, by their content types.
public enum PatchType: String, Sendable {
    case strategicMerge = "application/strategic-merge-patch+json"
    case merge = "application/merge-patch+json"
    case json = "application/json-patch+json"
}
