from django.contrib import admin

from .models import CoverageItem, Policy, Programme


class CoverageInline(admin.TabularInline):
    model = CoverageItem
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "insurer", "premium_fen", "min_age", "max_age", "sex"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["counties"]
    inlines = [CoverageInline]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["policy_no", "programme", "period_start", "status"]
    list_filter = ["programme", "status"]
    search_fields = ["=policy_no"]
    raw_id_fields = ["person"]
    show_full_result_count = False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # policies come from enrollment runs
