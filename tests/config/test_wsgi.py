"""The WSGI entry point gunicorn loads (config.wsgi)."""

from tests.processes import run_python


def test_the_wsgi_application_moves_what_it_loaded_out_of_the_collectors_way():
    # In a process of its own: freezing is process-wide.
    result = run_python(
        "import gc; import config.wsgi as wsgi; "
        "print(callable(wsgi.application), gc.get_freeze_count() > 10000)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]
