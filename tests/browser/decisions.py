"""An agent's decision as in a browser: « Je confirme cette décision » ticked, then the button."""

from playwright.sync_api import Page

CONFIRMATION = "Je confirme cette décision"


def decide(page: Page, button: str) -> None:
    """Tick the confirmation of the form that holds ``button`` (from the keyboard, as nothing
    but the keyboard must be needed), then press the button and wait for the next page."""
    form = page.locator("form").filter(has=page.get_by_role("button", name=button))
    form.get_by_role("checkbox", name=CONFIRMATION).focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        form.get_by_role("button", name=button).click()
