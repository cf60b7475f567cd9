from django.urls import path

from openkam.plans import pdf, views

app_name = "plans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("risks/", views.portfolio_risks, name="portfolio_risks"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("accounts/<int:account_id>/new/", views.create, name="create"),
    path("accounts/<int:account_id>/risks/", views.risks, name="risks"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/texts/", views.texts, name="texts"),
    path("<int:pk>/pdf/", pdf.plan_pdf, name="pdf"),
    path("<int:pk>/review-preview/", views.review, name="review_preview"),
    path("<int:pk>/step/<str:step>/", views.transition, name="transition"),
    path("<int:pk>/add/<str:part>/", views.part_add, name="part_add"),
    path("<int:pk>/edit/<str:part>/<int:item>/", views.part_edit, name="part_edit"),
    path("<int:pk>/delete/<str:part>/<int:item>/", views.part_delete, name="part_delete"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/progress/", views.objective_progress, name="objective_progress"),
    path("from-step/<int:interaction_id>/", views.action_from_step, name="action_from_step"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("resources/<int:pk>/decide/", views.resource_decide, name="resource_decide"),
]
