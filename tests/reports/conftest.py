import pytest

from tests.reports import scenario
from tests.reports.scenario import Scene


@pytest.fixture
def scene(reference: None) -> Scene:
    return scenario.build()
