"""Callables for settings.APART_LOGIN_CHECKS in tests."""


def refuse_everybody(account):
    return "Vous ne pouvez pas encore vous connecter."


def accept_everybody(account):
    return None


checked: list[int] = []


def accept_and_count(account):
    checked.append(account.pk)
    return None
