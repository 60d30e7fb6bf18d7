"""Deterministic Temporal workflows: one per participant pathway."""
