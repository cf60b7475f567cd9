from django.urls import path

from openkam.governance import views

app_name = "governance"
urlpatterns = [
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/current/", views.current, name="current"),
    path("reviews/open/", views.review_open, name="review_open"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/decisions.xlsx", views.review_export, name="review_export"),
    path("reviews/<int:pk>/submit/", views.review_submit, name="review_submit"),
    path("reviews/<int:pk>/approve-rest/", views.review_approve_rest, name="review_approve_rest"),
    path("reviews/<int:pk>/add/", views.proposal_add, name="proposal_add"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/change/", views.proposal_change, name="proposal_change"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("strategic/", views.strategic, name="strategic"),
    path("strategic/<int:pk>/decide/", views.strategic_decide, name="strategic_decide"),
    path("settings/", views.company_settings, name="settings"),
    path("settings/rescore/", views.rescore_status, name="rescore_status"),
]
