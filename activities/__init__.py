"""Side effects of the workflows: the read-model projection (and, later, notifications)."""
