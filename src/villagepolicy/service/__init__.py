"""villagepolicy as an HTTP JSON service (`villagepolicy serve`): FastAPI on uvicorn.

    from villagepolicy.service import ServiceConfig, create_app
    app = create_app(ServiceConfig(packs="my-county/"), token=None)

Needs the `serve` extra: pip install 'villagepolicy[serve]'. Endpoints, errors and limits: docs/service.md.
"""

from .app import Service, app_from_env, create_app
from .config import ServiceConfig

__all__ = ["Service", "ServiceConfig", "app_from_env", "create_app"]
