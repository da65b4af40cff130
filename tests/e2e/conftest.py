import pytest
from prefect.testing.utilities import prefect_test_harness

from flows.config import REPO_ROOT


@pytest.fixture(autouse=True, scope="session")
def prefect_test_fixture():
    """One temporary Prefect API for every end-to-end flow run."""
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def seed_warehouse(tmp_path_factory, prefect_test_fixture):
    """The warehouse ``make run`` builds from seeds/, built once per session: (path, run summary)."""
    from flows.pipeline import frontline_pipeline

    warehouse = tmp_path_factory.mktemp("wh") / "frontline.duckdb"
    summary = frontline_pipeline(input_dir=REPO_ROOT / "seeds", warehouse=warehouse)
    return warehouse, summary
