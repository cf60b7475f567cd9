from django.urls import path

from openkam.web import views

urlpatterns = [path("", views.home, name="home")]
