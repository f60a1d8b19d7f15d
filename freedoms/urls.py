from django.urls import path

from freedoms import views

app_name = "freedoms"

A = "agreements/<slug:round_slug>/<slug:area_slug>/requests/"

urlpatterns = [
    path(A, views.request_list, name="list"),
    path(A + "new/", views.request_create, name="create"),
    path(A + "<int:number>/", views.request_detail, name="detail"),
    path(A + "<int:number>/edit/", views.request_edit, name="edit"),
    path(A + "<int:number>/move/", views.request_move, name="move"),
    path(A + "<int:number>/evidence/", views.evidence_upload, name="evidence"),
    path(A + "<int:number>/same-as/", views.link_same_as, name="same_as"),
    path(A + "<int:number>/evidence/<int:pk>/", views.evidence_download, name="evidence_file"),
    path("freedoms/register/", views.register, name="register"),
    path("freedoms/overdue/", views.overdue, name="overdue"),
    path("freedoms/directory/", views.directory, name="directory"),
    path("freedoms/<slug:slug>/brief/", views.brief, name="brief"),
    path("freedoms/<slug:slug>/figures/", views.figures, name="figures"),
]
