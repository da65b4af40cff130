import pytest
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(autouse=True, scope="session")
def prefect_test_fixture():
    """One temporary Prefect API for every end-to-end flow run."""
    with prefect_test_harness(server_startup_timeout=120):
        yield
