"""The processes: the Temporal worker, the `pathways` command line and the development runner."""
