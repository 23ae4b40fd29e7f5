from django.urls import path

from . import views

app_name = "charity"
urlpatterns = [
    path("receipt/<str:token>/", views.donation_receipt, name="receipt"),
    path("mine/", views.my_donations, name="mine"),
    path("campaigns/<slug:slug>/statements/", views.statements, name="statements"),
    path("statements/<int:pk>/", views.statement, name="statement"),
]
