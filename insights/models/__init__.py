"""Insights' own tables: cached aggregates (kept by the nightly jobs) and the reports."""

# aggregates (helper K: imports below this line)
# reports (helper R: imports below this line)
