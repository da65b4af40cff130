import contextlib
import os

import pytest
from prefect.settings import PREFECT_API_URL
from prefect.testing.utilities import prefect_test_harness

from flows.config import REPO_ROOT, load_settings
from tests.conftest import SHARED


@pytest.fixture(autouse=True, scope="session")
def prefect_test_fixture(request):
    """One temporary Prefect API for every end-to-end flow run. Its start takes up to a minute
    on a busy machine: a session that runs no end-to-end test (``-m "not e2e"``, the fast
    suite) does not start it for the few tests of this folder that only read files."""
    if not any(item.get_closest_marker("e2e") for item in request.session.items):
        yield
        return
    with prefect_test_harness(server_startup_timeout=120), shared_by_subprocesses():
        yield


@contextlib.contextmanager
def shared_by_subprocesses():
    """The ``frontline`` processes the tests start use the session's Prefect API instead of
    each starting an ephemeral server (10-20 s apiece on 2 cores), and skip the dbt docs (a
    few seconds a run) unless a test asks for them; a test that needs its own server (the
    schedule, Dask) takes ``PREFECT_API_URL`` out of its environment."""
    shared = {"PREFECT_API_URL": PREFECT_API_URL.value(), "FRONTLINE_GENERATE_DOCS": "false"}
    before = {name: os.environ.get(name) for name in shared}
    os.environ.update(shared)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
def seed_warehouse(tmp_path_factory, prefect_test_fixture):
    """The warehouse ``make run`` builds from seeds/, built once per session: (path, run summary)."""
    from flows.pipeline import frontline_pipeline

    warehouse = tmp_path_factory.mktemp("wh") / "frontline.duckdb"
    settings = load_settings().model_copy(update={"generate_docs": True})  # as `make run` does
    summary = frontline_pipeline(input_dir=REPO_ROOT / "seeds", warehouse=warehouse, settings=settings)
    return warehouse, summary


@pytest.fixture(scope="session")
def gold_warehouse(tmp_path_factory, prefect_test_fixture):
    """The warehouse one default run builds from ../shared/gold/articles, built once per
    session for the tests that only read it (scores, and the reference for scale-out runs)."""
    from flows.pipeline import frontline_pipeline

    warehouse = tmp_path_factory.mktemp("gold") / "gold.duckdb"
    frontline_pipeline(input_dir=SHARED / "gold" / "articles", warehouse=warehouse)
    return warehouse
