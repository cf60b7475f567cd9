from django.urls import path

from openkam.portfolio import views as portfolio_views
from openkam.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("glossary/", views.glossary, name="glossary"),
    # The account's scorecard lives under the account's address, edited inline.
    path("accounts/<int:pk>/scorecard/", portfolio_views.scorecard, name="scorecard"),
    path(
        "accounts/<int:pk>/scorecard/<int:criterion_id>/",
        portfolio_views.score_set,
        name="score_set",
    ),
]
