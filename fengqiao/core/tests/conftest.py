import pytest


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """``with commits(): ...`` runs the after-commit handlers (clocks, rules, notices)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
