from django.urls import path

from . import coop_views, views

app_name = "farming"
urlpatterns = [
    path("", views.index, name="index"),
    path("counties/<str:county_code>/", views.county, name="county"),
    path("forecasts/<int:forecast_id>/", views.run, name="run"),
    path("plans/<int:planting_plan_id>/", views.plan, name="plan"),
    path("cooperatives/<int:supplier_id>/", coop_views.cooperative, name="cooperative"),
    path("cooperatives/<int:supplier_id>/lots/", coop_views.lot, name="lot"),
    path("cooperatives/<int:supplier_id>/sign/", coop_views.sign, name="sign"),
    path("households/<str:household_no>/", coop_views.household, name="household"),
    path("households/<str:household_no>/appeal/", coop_views.appeal, name="appeal"),
]
