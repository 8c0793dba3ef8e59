from django.urls import path

from .views import ingestion, results, scorecards

app_name = "kpis"

urlpatterns = [
    # results (My results, Team KPIs, centre view)
    path("my-results/", results.my_results, name="my-results"),
    path("team/", results.team_kpis, name="team-kpis"),
    path("centre/", results.centre, name="centre"),
    # ingestion (upload, ingest log)
    path("ingests/", ingestion.ingest_log, name="ingest-log"),
    path("ingests/upload/", ingestion.ingest_upload, name="ingest-upload"),
    path("ingests/confirm/", ingestion.ingest_confirm, name="ingest-confirm"),
    path("ingests/<int:pk>/", ingestion.ingest_detail, name="ingest-detail"),
    # scorecards (months, payroll export)
    path("scorecards/", scorecards.scorecard_months, name="scorecard-months"),
    path("scorecards/compute/", scorecards.scorecard_month_compute, name="scorecard-month-compute"),
    path("scorecards/<str:month>/", scorecards.scorecard_month, name="scorecard-month"),
    path("scorecards/<str:month>/export/", scorecards.scorecard_export, name="scorecard-export"),
    path("scorecards/<str:month>/close/", scorecards.scorecard_month_close, name="scorecard-month-close"),
    path("scorecards/<str:month>/reopen/", scorecards.scorecard_month_reopen, name="scorecard-month-reopen"),
    path(
        "scorecards/<str:month>/late-revisions/reviewed/",
        scorecards.late_revisions_reviewed,
        name="scorecard-late-revisions-reviewed",
    ),
]
