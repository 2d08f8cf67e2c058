"""Who is asking: a student's JupyterHub token (the hub started the service), or a local token an
instructor issued with `backprop-grader feedback-token` (no hub). Either way the student is who
the token belongs to; nothing in a request can name another student."""
import re

TOKEN = re.compile(r"(?:token|bearer)\s+(\S+)", re.IGNORECASE)


def token_of(request):
    match = TOKEN.match(request.headers.get("Authorization", ""))
    return match.group(1) if match else None


class LocalTokens:
    """Tokens from the store (only their digests are kept)."""
    kind = "local"

    def __init__(self, store):
        self.store = store

    async def student(self, token):
        return self.store.student_for(token)


class HubTokens:
    """JupyterHub's own service auth (jupyterhub.services.auth.HubAuth, an optional dependency): the hub
    says whose token it is and whether it may use this service (scope access:services!service=<name>)."""
    kind = "hub"

    def __init__(self, hub_auth=None):
        if hub_auth is None:
            try:
                from jupyterhub.services.auth import HubAuth
            except ImportError:
                raise RuntimeError("JupyterHub authentication needs jupyterhub: pip install "
                                   "'backprop-exercises[feedback]'") from None
            hub_auth = HubAuth(cache_max_age=60)
        self.hub_auth = hub_auth

    async def student(self, token):
        model = await self.hub_auth.user_for_token(token, sync=False)
        if not model or model.get("kind", "user") != "user":
            return None
        if self.hub_auth.access_scopes and not self.hub_auth.check_scopes(self.hub_auth.access_scopes, model):
            return None
        return model["name"]
