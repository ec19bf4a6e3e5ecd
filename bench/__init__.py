"""Benchmarks: each prints one JSON line with its figures and a same-run baseline."""
