from django.urls import path

from accounts.sessions import views

app_name = "sessions"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("<int:pk>/end/", views.session_end_one, name="end"),
    path("end-others/", views.session_end_others, name="end_others"),
]
