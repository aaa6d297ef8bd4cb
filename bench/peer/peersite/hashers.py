from django.contrib.auth.hashers import Argon2PasswordHasher


class BenchArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with the parameters of apart's hasher (m=19 MiB, t=2, p=1): same cost per login."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
