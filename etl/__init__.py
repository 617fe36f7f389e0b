"""kamerspoor: the library behind the Kamervragen warehouse (no Dagster imports here).

Layers, one direction: ``source`` -> ``store`` -> ``parse`` -> ``enrich`` -> ``load``.
The record types that cross layer boundaries live in :mod:`etl.models`.
"""

__version__ = "0.1.0"
