"""Recorded versions of the parser and the enricher, oldest first: (version, sources sha256).

Written by ``python -m etl.versions bump``; see ``etl/versions.py``."""

HISTORY = {'enricher': [('1.0.0', 'd571eeaa384ba1f7'),
              ('1.0.1', 'd23eff54859b14c8'),
              ('1.0.2', 'd4b8fac0005a9692'),
              ('1.0.3', '50d843edb76c8fb7'),
              ('1.0.4', '030ea82850875363')],
 'parser': [('0.2.0', 'b26ef69e42406cab'),
            ('0.2.1', '47e7d4d03864959b'),
            ('0.2.2', 'a25da2342aab4252'),
            ('0.3.0', 'e69ba34036e6a008'),
            ('0.3.1', '4d115d5366b344fc'),
            ('0.3.2', '257308aa0c8624ab'),
            ('0.3.3', '7c0c1f32e1e1ad5f'),
            ('0.3.4', '1d3ccca1f5afdb2b')]}
