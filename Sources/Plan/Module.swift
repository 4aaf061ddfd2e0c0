// The Plan module.
