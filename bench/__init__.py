"""Benchmarks and accuracy evaluations (scripts; not installed with the package)."""
