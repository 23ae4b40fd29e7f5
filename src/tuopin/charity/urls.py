from django.urls import path

from . import views

app_name = "charity"
urlpatterns = [
    path("receipt/<str:token>/", views.donation_receipt, name="receipt"),
]
