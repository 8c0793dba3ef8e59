"""Forms of the KPI app, one module per area: forms.ingestion."""
