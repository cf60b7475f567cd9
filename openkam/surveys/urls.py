from django.urls import path

from openkam.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.results, name="results"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/remind/", views.campaign_remind, name="campaign_remind"),
    path("recipients/<int:pk>/answer/", views.answer_enter, name="answer_enter"),
]
