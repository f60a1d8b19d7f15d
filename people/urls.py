from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_people, name="import"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("person/<int:pk>/", views.person, name="person"),
    path("person/<int:pk>/change/", views.change, name="change"),
    path("person/<int:pk>/remove-access/", views.deactivate, name="deactivate"),
    path("person/<int:pk>/restore-access/", views.reactivate, name="reactivate"),
    path("invitations/<int:pk>/send-again/", views.invitation_resend, name="resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="revoke"),
    path("<slug:slug>/", views.organisation, name="organisation"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
]
