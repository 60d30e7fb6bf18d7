"""Process-wide plumbing: settings, logging, the Temporal client factory."""
