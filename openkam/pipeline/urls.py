from django.urls import path

from openkam.pipeline import views

app_name = "pipeline"
urlpatterns = [
    path("", views.board, name="board"),
    path("list/", views.opportunity_list, name="list"),
    path("new/", views.create, name="create"),
    path("figures/", views.figures, name="figures"),
    path("probabilities/", views.probabilities, name="probabilities"),
    path("prospects/", views.prospects, name="prospects"),
    path("prospects/leads/", views.leads, name="leads"),
    path("prospects/leads/convert/", views.leads_convert, name="leads-convert"),
    path("weights/", views.weights, name="weights"),
    path("matrix/", views.matrix, name="matrix"),
    path("plans/<int:plan_id>/", views.plan_opportunities, name="plan-opportunities"),
    path("prospects/<int:account_id>/screen/", views.screen, name="screen"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/terms/", views.terms, name="terms"),
    path("targets/<int:account_id>/", views.target, name="target"),
    path("targets/<int:account_id>/suppliers/", views.supplier_add, name="supplier-add"),
    path(
        "targets/<int:account_id>/suppliers/<int:link_id>/remove/",
        views.supplier_remove,
        name="supplier-remove",
    ),
]
