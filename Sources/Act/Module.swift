// The Act module.
