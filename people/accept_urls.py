"""The link in an invitation e-mail, outside `/people/` because the invited person is not
yet signed in."""

from django.urls import path

from people import views

urlpatterns = [
    path("<str:token>/", views.invitation_accept, name="invitation_accept"),
]
