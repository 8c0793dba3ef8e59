"""Insights' own tables: cached aggregates (kept by the nightly jobs) and the reports."""

# cohorts (helper C: imports below this line)
# reports (helper R: imports below this line)
