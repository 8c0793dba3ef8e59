from django.urls import path

from .views import kash as views
from .views import mood as mood_views
from .views import onboarding as onboarding_views

app_name = "training"

urlpatterns = [
    path("kash/me/", views.my_kash, name="my-kash"),
    path("kash/people/<int:pk>/", views.kash_profile, name="kash-profile"),
    path("kash/people/<int:pk>/assess/", views.assessment_new, name="assessment-new"),
    path("kash/assessments/<int:pk>/edit/", views.assessment_edit, name="assessment-edit"),
    path("kash/assessments/<int:pk>/correct/", views.assessment_correct, name="assessment-correct"),
    path("kash/team/", views.team_heatmap, name="team-heatmap"),
    path("onboarding/me/", onboarding_views.my_onboarding, name="my-onboarding"),
    path("onboarding/me/mood/", mood_views.my_mood, name="my-mood"),
    path("onboarding/mentees/", onboarding_views.mentee_board, name="mentee-board"),
    path("onboarding/batches/", onboarding_views.batch_board, name="batch-board"),
    path("onboarding/enrollments/<int:pk>/", onboarding_views.enrollment_detail, name="enrollment-detail"),
    path("onboarding/enrollments/<int:pk>/move/", onboarding_views.enrollment_move, name="enrollment-move"),
    path("onboarding/enrollments/<int:pk>/coaching/", onboarding_views.coaching_new, name="coaching-new"),
    path("onboarding/enrollments/<int:pk>/gate-check/", onboarding_views.gate_check_new, name="gate-check-new"),
    path("onboarding/enrollments/<int:pk>/mentor/", onboarding_views.mentor_assign, name="mentor-assign"),
    path("onboarding/activities/<int:pk>/done/", onboarding_views.activity_done, name="activity-done"),
    path("onboarding/coaching/<int:pk>/acknowledge/", onboarding_views.coaching_ack, name="coaching-ack"),
]
