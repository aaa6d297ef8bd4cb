from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's minimum (m=19 MiB, t=2, p=1).

    Django's defaults (100 MiB, p=8) cost ~190 ms a hash on this hardware; OWASP's minimum keeps
    the same resistance class at ~25 ms, which is what lets one node absorb a surge of logins.
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
