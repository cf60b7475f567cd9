"""The HTTP API, version 1, under /api/v1/: OpenAPI schema at openapi.json, docs at docs
(Swagger UI served from our own static files), both for logged-in users or token holders
only (auth.docs_login)."""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from openkam.api import errors
from openkam.api.auth import api_auth, docs_login
from openkam.api.parser import TextSafeParser
from openkam.api.routers import (
    account_teams,
    accounts,
    alerts,
    contacts,
    contracts,
    governance,
    interactions,
    ledger,
    opportunities,
    performance,
    plans,
    promotion,
    service,
    snapshots,
    surveys,
    winbacks,
)

DESCRIPTION = """Read and write OpenKAM from other systems.

**Authentication.** Send `Authorization: Bearer <token>` with a token created on the *API
tokens* page (each user has their own; revoked tokens stop working at once). In the browser,
your session works too; unsafe methods then need the `X-CSRFToken` header.

**Permissions** are those of the web pages: you see the accounts you see there; analysts and
viewers read only; key account managers and directors change the accounts of their teams.
A row you may not see does not exist for you: reading, changing or deleting it is a 404, and
an account or contact you may not see named in a body is that field's "No ... with this ID"
error (422), word for word the answer for an ID that does not exist. Changing a row you see
but your role may not change is a 403. Nothing is saved on any refusal.

**This schema and the docs** need a login (a session or a token), like the rest of the API.

**Errors** are JSON: `{"code", "detail", "errors": [{"loc", "field", "index", "message"}]}`,
in the language of `Accept-Language` (zh-hans or en): 400 `invalid_json` for a body that is
not JSON, 401 without valid credentials, 403 refused, 404 for an unknown path or row (also
a malformed ID such as `/accounts/abc`), 409 conflict, 422 for invalid input (body, query
or path) with each field's location.

**Money** is a decimal string (`"1234.50"`) so no digit is lost; dates are `YYYY-MM-DD`.

**Ledger rows** (orders with their lines, invoices, payments, costs to serve) are written in
bulk by `(source, external_id)`: sending the same rows again changes nothing and reports them
`unchanged`; one invalid row refuses the whole request.
"""

api = NinjaAPI(
    title="OpenKAM API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=api_auth,
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_decorator=docs_login,
    parser=TextSafeParser(),
)
errors.install(api)
api.add_router("", accounts.router)
api.add_router("", account_teams.router)
api.add_router("", contacts.router)
api.add_router("", ledger.router)
api.add_router("", snapshots.router)
api.add_router("", interactions.router)
api.add_router("", plans.router)
api.add_router("", performance.router)
api.add_router("", contracts.router)
api.add_router("", governance.router)
api.add_router("", alerts.router)
api.add_router("", winbacks.router)
api.add_router("", opportunities.router)
api.add_router("", promotion.router)
api.add_router("", service.router)
api.add_router("", surveys.router)
