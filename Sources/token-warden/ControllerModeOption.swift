import ArgumentParser
import Assess

/// `--mode` of the read-only commands (`report`, `explain`): which controller's plan they show.
/// They never write; `restart` shows what a controller in its default mode will do, `report` what
/// one in report mode would only warn about.
struct ControllerModeOption: ParsableArguments {
    @Option(help: "The controller's --mode to mirror: restart (what a running controller does) or report (what one in report mode would only warn about).")
    var mode: String = "restart"

    func parsed() throws -> PolicyMode {
        guard let value = PolicyMode(rawValue: mode), value != .ignore else {
            throw ValidationError("--mode \(mode): expected restart or report")
        }
        return value
    }
}
