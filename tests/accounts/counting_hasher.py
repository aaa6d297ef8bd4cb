"""A stand-in for the configured hasher that counts its work (Django's hasher, not our code)."""

from apart.accounts.hashers import OwaspArgon2PasswordHasher

calls: list[str] = []


class CountingHasher(OwaspArgon2PasswordHasher):
    def encode(self, password, salt):
        calls.append("encode")
        return super().encode(password, salt)

    def verify(self, password, encoded):
        calls.append("verify")
        return super().verify(password, encoded)
