from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tuopin.accounts"
    verbose_name = _("账户与权限")

    def ready(self) -> None:
        # Bootstrapping, not domain flow: roles need the permissions that post_migrate creates.
        from .roles import ensure_roles_after_migrate

        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="tuopin.accounts.roles")
