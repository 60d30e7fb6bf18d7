"""Application services: the use cases, one module per subject, with their transactions and their
Temporal calls. HTTP routes, web pages, the CLI and the benchmarks call these, never each other."""
