// The Assess module.
