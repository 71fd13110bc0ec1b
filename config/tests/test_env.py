import pytest

from config.env import ImproperEnvironment, env_bool, env_choice, env_int, env_list, env_str, env_url


def test_env_bool_reads_common_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False


def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch):
    monkeypatch.setenv("FLAG", "perhaps")
    with pytest.raises(ImproperEnvironment, match="FLAG"):
        env_bool("FLAG", False)


def test_env_int_refuses_words_and_numbers_below_the_minimum(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperEnvironment, match="COUNT must be a whole number"):
        env_int("COUNT", 1)
    monkeypatch.setenv("COUNT", "0")
    with pytest.raises(ImproperEnvironment, match="at least 1"):
        env_int("COUNT", 1, minimum=1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example.org, b.example.org,,")
    assert env_list("HOSTS") == ["a.example.org", "b.example.org"]


def test_env_url_checks_the_scheme(monkeypatch):
    monkeypatch.setenv("SOME_URL", "ftp://example.org")
    with pytest.raises(ImproperEnvironment, match="SOME_URL"):
        env_url("SOME_URL", "")
    monkeypatch.setenv("SOME_URL", "https://example.org")
    assert env_url("SOME_URL", "") == "https://example.org"


def test_env_choice_and_required_string(monkeypatch):
    monkeypatch.setenv("MODE", "sideways")
    with pytest.raises(ImproperEnvironment, match="one of up, down"):
        env_choice("MODE", "up", ("up", "down"))
    monkeypatch.delenv("REQUIRED_THING", raising=False)
    with pytest.raises(ImproperEnvironment, match="REQUIRED_THING must be set"):
        env_str("REQUIRED_THING")
