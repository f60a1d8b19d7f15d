from django.urls import path

from agreements import views

app_name = "agreements"

A = "<slug:round_slug>/<slug:area_slug>/"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("open/", views.agreement_open_own, name="open_own"),
    path("assign/", views.areas_assign, name="assign"),
    path("rounds/<slug:slug>/open/", views.agreement_open_round, name="open_round"),
    path("rounds/<slug:slug>/funding-streams/", views.funding_catalogue, name="funding_catalogue"),
    path(
        "rounds/<slug:slug>/statutory-targets/",
        views.statutory_values,
        name="statutory_values",
    ),
    path(A, views.agreement_detail, name="detail"),
    path(A + "narrative/", views.narrative_edit, name="narrative"),
    path(A + "themes/", views.themes, name="themes"),
    path(A + "outcomes/<int:pk>/edit/", views.outcome_edit, name="outcome_edit"),
    path(A + "targets/", views.target_list, name="targets"),
    path(A + "targets/add/<str:kind>/", views.target_add, name="target_add"),
    path(A + "targets/import/", views.targets_import, name="targets_import"),
    path(A + "targets/import/template.<str:fmt>", views.import_template, name="import_template"),
    path(A + "targets/<int:pk>/", views.target_detail, name="target_detail"),
    path(A + "targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path(A + "targets/<int:pk>/remove/", views.target_delete, name="target_delete"),
    path(A + "targets/<int:pk>/history/", views.target_history, name="target_history"),
    path(A + "funding/", views.funding_list, name="funding"),
    path(A + "funding/add/", views.funding_add, name="funding_add"),
    path(A + "funding/<int:pk>/edit/", views.funding_edit, name="funding_edit"),
    path(A + "funding/<int:pk>/consent/", views.funding_consent, name="funding_consent"),
    path(A + "partners/", views.partners, name="partners"),
    path(A + "completeness/", views.completeness, name="completeness"),
    path(A + "print/", views.print_view, name="print"),
]
