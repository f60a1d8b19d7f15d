"""The pages of the read API: a person's own tokens, the organisations' tokens the national
team makes, and the API's documentation."""

import functools

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from drf_spectacular.generators import SchemaGenerator

from accounts.decorators import permission_or_404
from api import selectors, services
from api.forms import OrganisationTokenForm, TokenForm
from core.errors import ServiceError


@functools.cache
def _schema() -> dict:
    """The OpenAPI schema as drf-spectacular generates it (the same as /api/v1/schema/),
    made once per process: it changes only with the code."""
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict) -> list[dict]:
    """Each endpoint of the schema, in path order, ready for the page: its path, summary,
    description, parameters and answers."""
    operations = []
    for path, methods in schema.get("paths", {}).items():
        operation = methods.get("get")
        if operation is None:
            continue
        operations.append(
            {
                "id": operation.get("operationId", path),
                "path": path,
                "tag": (operation.get("tags") or [""])[0],
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [
                    {
                        "name": parameter.get("name", ""),
                        "where": parameter.get("in", ""),
                        "required": bool(parameter.get("required")),
                        "description": parameter.get("description", ""),
                    }
                    for parameter in operation.get("parameters", [])
                ],
                "responses": [
                    {"status": status, "description": answer.get("description", "")}
                    for status, answer in operation.get("responses", {}).items()
                ],
            }
        )
    return operations


def docs(request):
    """The API's documentation: every endpoint of the OpenAPI schema as a GOV.UK page,
    drawn on the server (no script), with the schema itself to download for tools."""
    schema = _schema()
    return render(
        request,
        "api/docs.html",
        {
            "schema_url": reverse("api:schema"),
            "info": schema.get("info", {}),
            "operations": _operations(schema),
        },
    )


def _tokens_page(request, template: str, context: dict, status: int = 200):
    return render(request, template, context, status=status)


@permission_or_404("api.create_personal_token")
def personal_tokens(request):
    form = TokenForm(request.POST if request.method == "POST" else None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create_personal(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            error.add_to(form)
        else:
            form = TokenForm()
    page = Paginator(selectors.tokens_of(request.user), 50).get_page(request.GET.get("page"))
    return _tokens_page(
        request,
        "api/personal_tokens.html",
        {"form": form, "created": created, "page": page},
        status=400 if form.errors else 200,
    )


@require_POST
def personal_token_revoke(request, pk: int):
    token = selectors.token_of(request.user, pk)
    try:
        services.token_revoke(token=token, actor=request.user)
    except ServiceError as error:
        raise Http404 from error
    messages.success(request, f"The token ‘{token.name}’ has been revoked.")
    return redirect("api_tokens:personal")


@permission_or_404("api.manage_organisation_tokens")
def organisation_tokens(request):
    organisations = selectors.organisations_for_tokens()
    form = OrganisationTokenForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create_for_organisation(
                actor=request.user, **form.cleaned_data
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            form = OrganisationTokenForm(organisations=organisations)
    page = Paginator(selectors.organisation_tokens(), 50).get_page(request.GET.get("page"))
    return _tokens_page(
        request,
        "api/organisation_tokens.html",
        {"form": form, "created": created, "page": page},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_or_404("api.manage_organisation_tokens")
def organisation_token_revoke(request, pk: int):
    token = selectors.organisation_token_get(pk)
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, f"The token ‘{token.name}’ has been revoked.")
    return redirect("api_tokens:organisations")
