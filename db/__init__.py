"""SQLAlchemy tables, sessions and queries: participants, users, and the pathway read model."""
