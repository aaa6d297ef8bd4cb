"""``{% frame "name" %}...{% endframe %}``: a part of a page that is the same for every request
of a language (the page frame: head, brand, menus, footer; the home page's introduction; the empty
login form), rendered once per process and language, then copied into every page.

Never a user, a token or a form's data inside: whatever the first request would have written
there would be shown to everybody. The one exception is the request's CSP nonce, given to the
frame and written inside it as ``{{ frame_nonce }}``: ``{% frame "name" nonce=request.csp_nonce %}``
keeps the fragment rendered with a stand-in and writes each request's own nonce in its place.
The names are written in the templates and the languages are settings.LANGUAGES, so that what is
kept is bounded. A plain dictionary rather than ``{% cache %}``: a fragment read from Django's
cache costs as much as the few translations it saves (key hashing, key checks, a lock,
unpickling). ``APART_KEEP_FRAMES = False`` (the tests) renders every frame every time, so that a
setting changed by a test shows.
"""

import secrets

from django import template
from django.conf import settings
from django.template.base import FilterExpression, Parser, Token
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Written where the nonce goes in a kept frame: letters and digits only, unchanged by escaping,
# and unguessable, so that no other text of the page can be mistaken for it.
_NONCE_STAND_IN = f"frame-nonce-{secrets.token_hex(16)}"

_kept: dict[tuple[str, str | None], list[SafeString]] = {}


def kept_frames() -> list[str]:
    """The names of the frames kept by this process (one entry per language)."""
    return sorted(name for name, _ in _kept)


def forget_frames() -> None:
    _kept.clear()


class FrameNode(template.Node):
    def __init__(
        self, name: str, nodelist: template.NodeList, nonce: FilterExpression | None
    ) -> None:
        self.name = name
        self.nodelist = nodelist
        self.nonce = nonce

    def render(self, context: template.Context) -> SafeString:
        nonce = str(self.nonce.resolve(context)) if self.nonce is not None else ""
        if not settings.APART_KEEP_FRAMES:
            with context.push(frame_nonce=nonce):
                return self.nodelist.render(context)
        key = (self.name, get_language())
        parts = _kept.get(key)
        if parts is None:
            with context.push(frame_nonce=_NONCE_STAND_IN):
                html = self.nodelist.render(context)
            # Each part is rendered template output, as safe as the whole it was cut from.
            parts = [mark_safe(part) for part in html.split(_NONCE_STAND_IN)]  # noqa: S308  # nosec B308, B703
            _kept[key] = parts
        page = parts[0]
        for part in parts[1:]:
            page = page + conditional_escape(nonce) + part
        return page


@register.tag
def frame(parser: Parser, token: Token) -> FrameNode:
    bits = token.split_contents()
    name = bits[1] if len(bits) in (2, 3) else ""
    if len(name) < 3 or name[0] not in "\"'" or name[0] != name[-1]:
        raise template.TemplateSyntaxError('{% frame "name" [nonce=...] %} needs a quoted name')
    nonce = None
    if len(bits) == 3:
        if not bits[2].startswith("nonce="):
            raise template.TemplateSyntaxError('{% frame "name" nonce=... %} takes only a nonce')
        nonce = parser.compile_filter(bits[2].removeprefix("nonce="))
    nodelist = parser.parse(("endframe",))
    parser.delete_first_token()
    return FrameNode(name[1:-1], nodelist, nonce)
