"""A minimal Django project serving django-comments-xtd's threaded comments, for the benchmark.

It runs only inside the throwaway virtualenv that bench/xtd.py makes, never with Parley's
packages: one story, its comments rendered by xtd's own template tag and templates.
"""
