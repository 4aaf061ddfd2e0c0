// The Observe module.
