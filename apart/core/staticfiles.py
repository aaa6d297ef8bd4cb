"""The storage of the static files: WhiteNoise's compressed storage, each file's URL computed once.

Not the manifest storage: it rewrites the DSFR CSS, whose SRI hashes then no longer match. Every
page asks ``{% static %}`` for the same few files (styles, scripts, icons), and a URL depends only
on the file's name and STATIC_URL: computed once per process and kept (the names are the files
the templates name, a bounded set).
"""

from typing import Any

from whitenoise.storage import CompressedStaticFilesStorage


class StaticStorage(CompressedStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str | None, str | None], str] = {}

    def url(self, name: str | None) -> str:
        key = (self.base_url, name)  # STATIC_URL changed (tests): other URLs
        url = self._urls.get(key)
        if url is None:
            url = self._urls[key] = super().url(name)
        return url
