import ArgumentParser

/// Where the running controller's leader-election Lease is, for the read-only commands: with
/// `--token-lifetime auto` they take the lifetime that controller published on it.
struct LeaseLocationOptions: ParsableArguments {
    @Option(help: "Namespace of the running controller's leader-election Lease, read by --token-lifetime auto (default: the context's namespace, as run).")
    var leaderElectionNamespace: String?

    @Option(help: "Name of that Lease.")
    var leaderElectionId: String = "token-warden"
}
