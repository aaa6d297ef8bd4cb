"""Django's Redis cache, keeping its redis-py client instead of building one per operation.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` makes a new ``redis.Redis`` for
every get or set; building one (its table of response callbacks) cost about twice the round
trip's own work in our process. A client is only a view on its connection pool, safe to share
(each command takes a connection from the pool), so one per pool is kept. Caches are already one
per thread in Django.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _ReusingClient(RedisCacheClient):  # type: ignore[misc]
    _client: Any
    _get_connection_pool_index: Any
    _get_connection_pool: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ReusingClient
