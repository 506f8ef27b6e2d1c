"""Contract-testing toolkit for the Dinero API: Dinero's own contract (facts-only copy) and tools over it."""
