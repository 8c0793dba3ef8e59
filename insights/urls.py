from django.urls import path

from .views import cohorts as cohort_views
from .views import dashboard as dashboard_views
from .views import effects as effect_views
from .views import health as health_views
from .views import ramp as ramp_views
from .views import reports as report_views

app_name = "insights"

urlpatterns = [
    # dashboard and organisation health (helper H adds below this line)
    # cohorts (helper C adds below this line)
    # KPI ramp and aggregates (helper K adds below this line)
    # effects (helper E adds below this line)
    # reports (helper R adds below this line)
]
