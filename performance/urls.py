from django.urls import path

from performance import views

app_name = "performance"

A = "agreements/<slug:round_slug>/<slug:area_slug>/annual-review/"
R = "rounds/<slug:slug>/annual-review/"

urlpatterns = [
    path(R, views.round_reviews, name="round_reviews"),
    path(R + "<int:year>/open/", views.review_open, name="review_open"),
    path(R + "<int:year>/close/", views.review_close, name="review_close"),
    path(A, views.agreement_reviews, name="agreement_reviews"),
    path(A + "<int:year>/", views.review_detail, name="review"),
    path(A + "<int:year>/targets/<int:pk>/", views.outturn_edit, name="outturn_edit"),
    path(A + "<int:year>/import/", views.outturns_import, name="import"),
    path(A + "<int:year>/import/template.csv", views.outturns_template, name="import_template"),
]
