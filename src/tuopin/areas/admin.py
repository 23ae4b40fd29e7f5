from django.contrib import admin

from .models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "national_poor", "deep_poverty", "provincial_poor"]
    list_filter = ["level", "national_poor", "deep_poverty", "provincial_poor"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    show_full_result_count = False
