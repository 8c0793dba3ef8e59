from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("kash/me/", views.my_kash, name="my-kash"),
    path("kash/people/<int:pk>/", views.kash_profile, name="kash-profile"),
    path("kash/people/<int:pk>/assess/", views.assessment_new, name="assessment-new"),
    path("kash/assessments/<int:pk>/edit/", views.assessment_edit, name="assessment-edit"),
    path("kash/assessments/<int:pk>/correct/", views.assessment_correct, name="assessment-correct"),
    path("kash/team/", views.team_heatmap, name="team-heatmap"),
]
