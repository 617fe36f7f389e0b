"""The Tweede Kamer OData source: field mapping, query building, HTTP client, sync.

Nothing outside this package sees an OData field name; everything leaves as the records in
:mod:`etl.models`.
"""
