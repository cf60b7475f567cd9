"""The page where a user creates, lists and revokes their own API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from openkam.api.errors import not_found_response
from openkam.api.forms import TokenForm
from openkam.api.models import ApiToken
from openkam.api.tokens import token_create
from openkam.api.tokens import token_revoke as revoke
from openkam.team.http import AuthenticatedRequest


@never_cache  # the page that shows a new secret must not be kept by any cache
@login_required
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    page = Paginator(tokens, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "api/tokens.html", {"form": form, "page": page, "issued": issued})


@csrf_exempt  # like the API's own views: a POST to a wrong path is a 404, not a CSRF page
def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any path under /api/v1/ that no operation has, a malformed ID among them: the API's
    JSON 404, never the site's HTML page."""
    return not_found_response()


@require_POST
@login_required
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")
