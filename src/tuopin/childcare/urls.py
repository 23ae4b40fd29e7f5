from django.urls import path

from . import centre_views, views

app_name = "childcare"
urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("plans/<int:plan_id>/export.xlsx", views.plan_export, name="plan_export"),
    path("sites/", views.add_site, name="add_site"),
    path("centres/", centre_views.centre_list, name="centres"),
    path("centres/<int:centre_id>/", centre_views.centre, name="centre"),
]
