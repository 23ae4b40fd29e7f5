from django.urls import path

from . import back_views, catalogue_views, views

app_name = "commerce"

urlpatterns = [
    path("shop/", views.shop, name="shop"),
    path("shop/p/<int:listing_id>/", views.product, name="product"),
    path("shop/basket/", views.basket, name="basket"),
    path("shop/checkout/", views.checkout, name="checkout"),
    path("shop/orders/", views.my_orders, name="my_orders"),
    path("shop/orders/<str:order_number>/", views.order, name="order"),
    path("shop/orders/<str:order_number>/action/", views.order_action, name="order_action"),
    path("suppliers/", back_views.suppliers, name="suppliers"),
    path("suppliers/<int:supplier_id>/", back_views.supplier, name="supplier"),
    path("suppliers/<int:supplier_id>/verify/", back_views.verify, name="verify"),
    path(
        "suppliers/<int:supplier_id>/products/new/",
        catalogue_views.product_new,
        name="product_new",
    ),
    path("products/<int:product_id>/", catalogue_views.manage_product, name="manage_product"),
    path("shop/photos/<str:sha256>.jpg", catalogue_views.photo, name="photo"),
    path("orders/", back_views.order_list, name="orders"),
    path("payouts/", back_views.payouts, name="payouts"),
    path("statistics/", back_views.sales_statistics, name="statistics"),
    path("statistics.xlsx", back_views.statistics_export, name="statistics_export"),
    path("import/", back_views.import_sales, name="import"),
]
