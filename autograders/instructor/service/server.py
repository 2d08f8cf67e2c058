"""Start the service: settings, store, who may ask, then tornado until Ctrl-C or SIGTERM."""
import asyncio
import os
import signal
from urllib.parse import urlparse

from ...engine import settings as grading
from ...engine.trials import warm
from . import config
from .app import Service, make_app
from .auth import HubTokens, LocalTokens
from .store import Store

#: Bodies above this never reach a handler (tornado answers 400 and closes); the handler's own limit is lower.
TRANSPORT_LIMIT = 64 * 1024 * 1024


def build(root, auth="auto", environ=None):
    """(Service, prefix) for the course at `root`; auth 'hub', 'local' or 'auto' (hub when the hub started us)."""
    environ = os.environ if environ is None else environ
    grading.load(root)
    s = config.load(root, environ)
    store = Store(s.db_url)
    under_hub = bool(environ.get("JUPYTERHUB_SERVICE_NAME") and environ.get("JUPYTERHUB_API_TOKEN"))
    who = HubTokens() if auth == "hub" or (auth == "auto" and under_hub) else LocalTokens(store)
    warm()                                                 # every check's search space, before the first student
    pool = None
    if s.workers:                                          # forked now: the settings and search spaces come along
        from .workers import Pool
        pool = Pool(s.workers, "fork")
    return Service(s, store, who, pool), environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")


def address(ip, port, environ=None):
    """Where to listen: --ip/--port, else JUPYTERHUB_SERVICE_URL (the hub says), else 127.0.0.1:10101."""
    environ = os.environ if environ is None else environ
    url = urlparse(environ.get("JUPYTERHUB_SERVICE_URL", ""))
    return ip or url.hostname or "127.0.0.1", port or url.port or 10101


def serve(service, prefix, ip, port, ready=None):
    """Run until SIGINT/SIGTERM (also one that arrives while starting); `ready(port)` is called once listening."""
    stopping, state = [], {}

    def on_signal(signum, frame):
        stopping.append(signum)
        if "loop" in state:
            state["loop"].call_soon_threadsafe(state["stop"].set)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)

    async def main():
        app = make_app(service, prefix)
        server = app.listen(port, ip, max_body_size=TRANSPORT_LIMIT, xheaders=True)
        state["stop"], state["loop"] = asyncio.Event(), asyncio.get_running_loop()
        if stopping:
            state["stop"].set()
        service.start()
        if ready:
            ready(port)
        await state["stop"].wait()
        server.stop()
        service.stop()
        service.store.close()
        if service.pool is not None:
            service.pool.shutdown()
    asyncio.run(main())
