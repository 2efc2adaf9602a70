"""Getting messages out: the per-workspace pacer, the paced platform and the outbox worker."""
