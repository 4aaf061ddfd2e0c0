// The Controller module.
