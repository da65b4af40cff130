import pytest


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(items):
    """The tests that open headless Chromium (named ``..._in_chromium``) take most of this
    folder's time: they run with the end-to-end suite, after the fast one."""
    for item in items:
        if item.path.parent.name == "desk" and item.name.split("[")[0].endswith("_in_chromium"):
            item.add_marker(pytest.mark.e2e)
