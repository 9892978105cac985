"""Typed readers for environment settings; every name read here is documented in docs/settings.md."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key_for(data_dir: Path) -> str:
    """The secret key from the environment, or one generated once and kept in the data directory."""
    configured = os.environ.get("AMPARO_SECRET_KEY")
    if configured:
        return configured
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Created with 0600 so other users of the machine cannot read it.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def redis_channel_layer(url: str, prefix: str) -> dict[str, object]:
    """The channels-redis layer for ``url``.

    redis-py 8 gives every socket a 5-second read timeout by default, the same as the blocking
    pop (BZPOPMIN, 5 s) with which channels-redis waits for messages: an idle websocket's
    receive then raised TimeoutError and the consumer was torn down every few seconds
    (django/channels_redis#422). The read timeout must outlast the pop; 30 s still notices a
    dead server.
    """
    return {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [{"address": url, "socket_timeout": 30, "socket_connect_timeout": 5}],
            "prefix": prefix,
        },
    }
