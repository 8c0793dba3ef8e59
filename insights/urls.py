from django.urls import path

from .views import cohorts as cohort_views
from .views import dashboard as dashboard_views
from .views import effects as effect_views
from .views import health as health_views
from .views import ramp as ramp_views
from .views import reports as report_views

app_name = "insights"

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("cohorts/", cohort_views.cohorts, name="cohorts"),
    path("ramp/", ramp_views.ramp, name="ramp"),
    path("effects/", effect_views.effects, name="effects"),
    path("health/", health_views.health, name="health"),
    path("reports/", report_views.reports, name="reports"),
    path("reports/<int:pk>/", report_views.report, name="report"),
    path("reports/<int:pk>/pdf/", report_views.report_pdf, name="report-pdf"),
    path("reports/<int:pk>/xlsx/", report_views.report_xlsx, name="report-xlsx"),
]
