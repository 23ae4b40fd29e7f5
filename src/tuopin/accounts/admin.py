from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tuopin.core.admin import ViewOnly

from .models import ApiToken, AreaScope, UnmaskLog, User


class AreaScopeInline(admin.TabularInline):
    model = AreaScope
    raw_id_fields = ["area"]
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [AreaScopeInline]
    list_display = ["username", "last_name", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at", "revoked"]
    readonly_fields = ["digest", "prefix", "created_at", "last_used_at"]


@admin.register(UnmaskLog)
class UnmaskLogAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["at", "user", "subject", "context"]
    list_filter = ["context"]
