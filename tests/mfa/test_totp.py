"""TOTP codes against a fixed clock: the current step and one either side, each step once."""

import datetime

import pytest
import time_machine

from apart.mfa import services, totp
from tests.accounts.factories import make_active_account
from tests.mfa.factories import TEST_TOTP_SECRET, code_for_step, enrol_totp

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 11, 28, 12, 0, 0, tzinfo=datetime.UTC)
STEP = int(NOON.timestamp()) // 30


@pytest.fixture
def account():
    account = make_active_account()
    enrol_totp(account)
    return account


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_a_code_of_the_current_step_or_one_step_either_side_is_accepted(account, offset):
    with time_machine.travel(NOON, tick=False):
        assert services.verify_totp(account=account, code=code_for_step(STEP + offset))


@pytest.mark.parametrize("offset", [-2, 2])
def test_a_code_two_steps_away_is_refused(account, offset):
    with time_machine.travel(NOON, tick=False):
        assert services.verify_totp(account=account, code=code_for_step(STEP + offset)) is None


def test_a_used_code_is_refused_the_second_time(account):
    code = code_for_step(STEP)
    with time_machine.travel(NOON, tick=False):
        assert services.verify_totp(account=account, code=code)
        assert services.verify_totp(account=account, code=code) is None


def test_after_a_code_is_used_an_older_step_is_refused_too(account):
    with time_machine.travel(NOON, tick=False):
        assert services.verify_totp(account=account, code=code_for_step(STEP + 1))
        assert services.verify_totp(account=account, code=code_for_step(STEP)) is None


def test_the_code_of_the_next_step_works_after_the_current_one(account):
    with time_machine.travel(NOON, tick=False):
        assert services.verify_totp(account=account, code=code_for_step(STEP))
    with time_machine.travel(NOON + datetime.timedelta(seconds=30), tick=False):
        assert services.verify_totp(account=account, code=code_for_step(STEP + 1))


def test_a_code_typed_with_a_space_is_accepted(account):
    code = code_for_step(STEP)
    with time_machine.travel(NOON, tick=False):
        assert services.verify_totp(account=account, code=f"{code[:3]} {code[3:]}")


def test_the_seed_is_stored_encrypted(account):
    stored = account.totp_devices.get().encrypted_secret

    assert TEST_TOTP_SECRET not in stored
    assert totp.looks_like_code("123456")


def test_new_seeds_are_160_random_bits():
    seeds = {totp.new_secret() for _ in range(50)}

    assert len(seeds) == 50
    assert all(len(seed) == 32 for seed in seeds)  # 32 base32 characters = 160 bits
