import os
import subprocess
import sys


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEMO_MODE", "DEBUG"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import opvangregie.settings as s; print(s.ALLOWED_HOSTS)"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_refuses_to_start_without_a_secret_key() -> None:
    result = _import_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_secure_defaults_with_a_secret_key() -> None:
    result = _import_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0
    assert result.stdout.strip() == "[]"


def test_demo_mode_runs_on_localhost() -> None:
    result = _import_settings(DEMO_MODE="1")
    assert result.returncode == 0
    assert "127.0.0.1" in result.stdout
