"""The pieces of ``scripts/benchmark.py``: servers to measure, the load client, the listing
among many sessions, and the rendering floor. Figures only; nothing here asserts a timing."""
