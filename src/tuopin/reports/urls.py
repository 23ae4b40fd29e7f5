from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<slug:slug>/", views.campaign, name="campaign"),
]
