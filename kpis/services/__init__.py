"""services of the KPI app, one module per area: measures and ingestion, results, scorecards."""
