"""Pieces of `make benchmark` (`tests/benchmarks.py`): settings and a urlconf with one extra
page, the page-by-role table, and the mixed load through gunicorn."""
