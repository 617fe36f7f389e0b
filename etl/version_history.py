"""Recorded versions of the parser and the enricher, oldest first: (version, sources sha256).

Written by ``python -m etl.versions bump``; see ``etl/versions.py``."""

HISTORY = {'enricher': [('1.0.0', 'e9179ac5c24465b1')], 'parser': [('0.1.2', '72207a1a6117e37c')]}
