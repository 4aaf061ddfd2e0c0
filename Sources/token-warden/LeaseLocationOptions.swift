import ArgumentParser

/// Where the running controller's leader-election Lease is, for the read-only commands: with
/// `--token-lifetime auto` they take the lifetime that controller published on it.
struct LeaseLocationOptions: ParsableArguments {
    @Option(help: "Namespace of the running controller's leader-election Lease, read by --token-lifetime auto (default as run: the context's namespace if it declares one, else token-warden).")
    var leaderElectionNamespace: String?

    @Option(help: "Name of that Lease.")
    var leaderElectionId: String = "token-warden"
}
