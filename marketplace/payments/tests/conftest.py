"""Stripe test servers: a request recorder per test, and one localstripe for the whole session."""

import importlib.util
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from marketplace.payments.tests.stripe_support import Recorder, recorder_start

# The `localstripe` command listens on every interface and pickles its store to /tmp/localstripe.pickle
# after every write (a file other users of the machine share); the same server, run from the venv's
# package, listens on 127.0.0.1 only and keeps its store in memory.
LOCALSTRIPE = (
    "import sys\n"
    "from aiohttp import web\n"
    "from localstripe import resources, server\n"
    "resources.Store.dump_to_disk = lambda self: None\n"
    "web.run_app(server.app, host='127.0.0.1', port=int(sys.argv[1]), print=None)\n"
)
LOCALSTRIPE_START_SECONDS = 20


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    recorder, server = recorder_start()
    yield recorder
    server.shutdown()
    server.server_close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url + "/v1/balance", timeout=1)  # noqa: S310  (our own http://127.0.0.1 server)
    except urllib.error.HTTPError:
        return True  # 401 without a key: it is up
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def localstripe() -> Iterator[str]:
    """The base URL of a localstripe server started for this test session."""
    if importlib.util.find_spec("localstripe") is None:
        pytest.skip("localstripe is not installed in this environment (pip install localstripe)")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a full pipe would stall the server
        command = [sys.executable, "-c", LOCALSTRIPE, str(port)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)  # noqa: S603  (fixed command)
        deadline = time.monotonic() + LOCALSTRIPE_START_SECONDS
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                errors.seek(0)
                pytest.fail(f"localstripe did not start on {url}: {errors.read().decode()[-500:]}")
            time.sleep(0.1)
        yield url
        process.terminate()
        process.wait(timeout=10)
