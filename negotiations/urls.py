from django.urls import path

from negotiations import views

app_name = "negotiations"

A = "<slug:round_slug>/<slug:area_slug>/"

urlpatterns = [
    path(A + "negotiation/", views.negotiation, name="negotiation"),
    path(A + "negotiation/move/", views.transition, name="transition"),
    path(A + "negotiation/submit/", views.submit, name="submit"),
    path(A + "negotiation/comments/", views.comment_add, name="comment_add"),
    path(A + "negotiation/comments/<int:pk>/reply/", views.comment_reply, name="comment_reply"),
    path(
        A + "negotiation/comments/<int:pk>/resolve/", views.comment_resolve, name="comment_resolve"
    ),
    path(
        A + "negotiation/comments/<int:pk>/propose-closing/",
        views.comment_propose_closing,
        name="comment_propose_closing",
    ),
    path(A + "negotiation/review/", views.review, name="review"),
    path(A + "negotiation/agree-remaining/", views.agree_remaining, name="agree_remaining"),
    path(
        A + "negotiation/referrals/<int:pk>/withdraw/",
        views.referral_withdraw,
        name="referral_withdraw",
    ),
    path(A + "negotiation/outstanding/", views.outstanding, name="outstanding"),
    path(A + "negotiation/status/<str:kind>/<int:pk>/", views.status_set, name="status_set"),
    path(A + "negotiation/referral/", views.referral, name="referral"),
    path(A + "negotiation/department-views/", views.department_views, name="department_views"),
    path(A + "negotiation/activity/", views.timeline, name="activity"),
    path(A + "versions/compare/", views.compare_versions, name="compare"),
    path(A + "versions/<int:number>/", views.version_detail, name="version"),
]
