from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("hr/", views.hr_home, name="hr-home"),
    path("today/", views.today_page, name="today"),
    path("me/", views.my_profile, name="my-profile"),
    path("team/", views.my_team, name="my-team"),
    path("mentees/", views.my_mentees, name="my-mentees"),
    path("employees/<int:pk>/", views.employee_detail, name="employee-detail"),
    path("positions/<int:pk>/", views.position_detail, name="position-detail"),
]
