from oauth2_provider.oauth2_validators import OAuth2Validator


class ProConnectLikeValidator(OAuth2Validator):
    """ProConnect's claims, each behind the scope of the same name, and its `acr` in the ID token."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "given_name": "given_name",
        "usual_name": "usual_name",
        "siret": "siret",
        "acr": "openid",
    }

    def get_additional_claims(self, request):
        user = request.user
        identity = getattr(user, "identity", None)
        return {
            "email": user.email,
            "given_name": user.first_name,
            "usual_name": identity.usual_name if identity else user.last_name,
            "siret": identity.siret if identity else "",
            "acr": identity.acr if identity else "eidas1",
        }
