"""Personal API tokens in the admin: an organiser creates their own, sees it once, revokes it."""

from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from conference.admin_site import is_organiser


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "hint", "user", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    readonly_fields = ["hint", "created", "last_used", "revoked"]
    actions = ["revoke"]

    # Every organiser manages their own tokens; a superuser sees everybody's.
    def has_module_permission(self, request):
        return is_organiser(request.user)

    def has_view_permission(self, request, obj=None):
        return is_organiser(request.user) and (
            obj is None or obj.user_id == request.user.pk or request.user.is_superuser
        )

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        return False  # a token is not edited: it is revoked and a new one made

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, not deleted, so that the list says when and which

    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("user")
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else ["name", "hint", "created", "last_used", "revoked"]

    def save_model(self, request, obj, form, change):
        row, token = ApiToken.issue(user=request.user, name=obj.name)
        obj.pk, obj.hashed_token, obj.hint = row.pk, row.hashed_token, row.hint
        obj.user_id, obj.created = row.user_id, row.created
        messages.warning(
            request,
            gettext(
                "Your new API token “%(name)s” is %(token)s — copy it now: it is not shown "
                "again. Send it as “Authorization: Bearer <token>”."
            )
            % {"name": row.name, "token": token},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked__isnull=True):
            token.revoke()
            count += 1
        self.message_user(
            request,
            ngettext("Revoked %(count)s token.", "Revoked %(count)s tokens.", count)
            % {"count": count},
        )
