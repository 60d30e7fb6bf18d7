"""Documents people sign and file, rendered as PDF."""
