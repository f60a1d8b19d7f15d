"""How the OpenAPI schema describes the token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token (made under 'API tokens' in the portal) or an "
                "organisation's token (made by the national team). It reads with its "
                "owner's reach."
            ),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ReadOnlySessionAuthentication"
    name = "portalSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
