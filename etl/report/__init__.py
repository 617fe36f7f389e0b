"""The analysts' HTML report: one self-contained file built from the published snapshot."""

from etl.report.build import build_report, default_report_path, open_snapshot

__all__ = ["build_report", "default_report_path", "open_snapshot"]
