from django.urls import path

from portal import views

# No namespace: templates link to the home page as {% url "home" %}.
urlpatterns = [
    path("", views.home, name="home"),
]
