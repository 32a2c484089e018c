from tests.placement.conftest import scene

__all__ = ["scene"]
