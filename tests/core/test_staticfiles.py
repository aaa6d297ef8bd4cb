"""The static files' URLs, computed once per process, are WhiteNoise's own."""

from whitenoise.storage import CompressedStaticFilesStorage

from apart.core.staticfiles import StaticStorage


def test_each_url_is_the_one_whitenoise_gives_every_time():
    kept, plain = StaticStorage(), CompressedStaticFilesStorage()
    names = ["core/apart.js", "dsfr/dist/dsfr/dsfr.min.css", "core/un nom à quoter.css"]

    for _ in range(2):  # the second time from what the first one kept
        assert [kept.url(name) for name in names] == [plain.url(name) for name in names]
    assert kept.url("core/un nom à quoter.css") == "/static/core/un%20nom%20%C3%A0%20quoter.css"


def test_files_of_other_names_get_their_own_url():
    storage = StaticStorage()

    assert storage.url("core/apart.js") != storage.url("core/apart.css")
