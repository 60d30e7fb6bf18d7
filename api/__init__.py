"""The HTTP API: a thin adapter over the read model and the pathway workflows."""
