"""admin of the KPI app, one module per area: measures and ingestion, results, scorecards."""

from . import measures, scorecards  # noqa: F401
