// The APIClient module.
