from django.urls import path

from . import dashboard_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path(
        "dashboard/export.<str:fmt>",
        dashboard_views.dashboard_export,
        name="dashboard_export",
    ),
    path("campaigns/<slug:slug>/", views.campaign, name="campaign"),
]
