"""An organiser's own API tokens on their account page: create one (shown once), list, revoke.

Only the signed-in organiser's own tokens appear and can be revoked; the
address carries no user. A new token is shown in the answer to the form that
created it and stored nowhere but as its hash, so the page is never cached.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api.forms import ApiTokenForm
from api.models import ApiToken
from conference.admin_site import is_organiser
from infrastructure.site_url import absolute_url


def _not_an_organiser(request):
    return render(request, "api/apitoken_forbidden.html", status=403)


@never_cache
@login_required
def token_list(request):
    if not is_organiser(request.user):
        return _not_an_organiser(request)
    form = ApiTokenForm(request.POST or None, user=request.user)
    created = token = None
    if request.method == "POST" and form.is_valid():
        created, token = ApiToken.issue(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm(user=request.user)
    return render(
        request,
        "api/apitoken_list.html",
        {
            "form": form,
            "created": created,
            "token": token,
            "tokens": ApiToken.objects.filter(user=request.user),
            "api_root": absolute_url(request, "/api/v1/"),
        },
    )


@never_cache
@login_required
@require_POST
def token_revoke(request, token_id):
    if not is_organiser(request.user):
        return _not_an_organiser(request)
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if token.is_active:
        token.revoke()
        messages.success(
            request,
            gettext("Revoked “%(name)s”: requests that send it are refused from now on.")
            % {"name": token.name},
        )
    else:
        messages.info(request, gettext("“%(name)s” was already revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
