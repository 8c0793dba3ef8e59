from django.urls import path

from .views import cohorts as cohort_views
from .views import dashboard as dashboard_views
from .views import effects as effect_views
from .views import health as health_views

app_name = "insights"

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("cohorts/", cohort_views.cohorts, name="cohorts"),
    path("effects/", effect_views.effects, name="effects"),
    path("health/", health_views.health, name="health"),
]
