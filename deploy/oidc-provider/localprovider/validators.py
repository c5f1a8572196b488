import json

from jwcrypto import jwt
from oauth2_provider.oauth2_validators import OAuth2Validator


class ProConnectLikeValidator(OAuth2Validator):
    """ProConnect's claims, each behind the scope of the same name, and its `acr` in the ID token;
    its userinfo endpoint answers, like ProConnect's, with a signed JWT (`application/jwt`)."""

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

    def get_userinfo_claims(self, request):
        # oauthlib sends a string as `application/jwt`: signed with the client's key, with the
        # issuer and audience a relying party must check, as ProConnect signs its userinfo.
        claims = {
            **super().get_userinfo_claims(request),
            "iss": self.get_oidc_issuer_endpoint(request),
            "aud": request.client.client_id,
        }
        key = request.client.jwk_key
        header = {"typ": "JWT", "alg": request.client.algorithm, "kid": key.thumbprint()}
        token = jwt.JWT(header=json.dumps(header), claims=json.dumps(claims, default=str))
        token.make_signed_token(key)
        return token.serialize()
