from django.urls import path

from . import views

app_name = "childcare"
urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("plans/<int:plan_id>/export.xlsx", views.plan_export, name="plan_export"),
    path("sites/", views.add_site, name="add_site"),
]
