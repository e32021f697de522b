"""Speed and accuracy benchmarks (`make bench`, `make eval`), and output digests; not installed."""
