"""Benchmarks. `make bench` (python -m bench) runs the KASH benchmark; see bench/README.md."""
