"""`briefing serve`: preview the site on 127.0.0.1 and rebuild it when its inputs change.

The server serves `out` (the symlink), resolved per request, so it always shows the live
release: a rebuild swaps the symlink and the next request sees the new site; a rebuild
that fails (the gate, a template error) keeps the last good preview and says why.
Watched: the store (and its WAL), feeds.yaml, the templates and the render code.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from briefing.errors import BriefingError
from briefing.publish.site import build_site, options_from_config

_ROOT = Path(__file__).resolve().parents[2]


class _Preview(SimpleHTTPRequestHandler):
    """Serves the site's files only: to loopback names, and never a folder listing.

    The Host check defeats DNS rebinding: a web page cannot reach the preview through a
    name of its own that resolves to 127.0.0.1, because its requests carry that name.
    """

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def _host_allowed(self) -> bool:
        port = self.server.server_address[1]  # type: ignore[index]  # an AF_INET address
        host = (self.headers.get("Host") or "").strip().lower()
        return host in {f"127.0.0.1:{port}", f"localhost:{port}"}

    def send_head(self) -> Any:
        if not self._host_allowed():
            self.send_error(421, "Misdirected Request", "this preview answers 127.0.0.1 only")
            return None
        return super().send_head()

    def list_directory(self, path: Any) -> None:
        self.send_error(404, "Not Found")
        return None


def make_server(out: Path, port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server for `out` bound to 127.0.0.1 only (never all interfaces).

    It answers only requests addressed to 127.0.0.1 or localhost (the Host header) and
    lists no folders: a folder without an index.html is a 404.
    """
    handler = functools.partial(_Preview, directory=str(out))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def watch_paths(config: Any, extra: list[Path]) -> list[Path]:
    paths = [config.store_path.parent, _ROOT / "briefing" / "templates", _ROOT / "briefing" / "render"]
    if config.path is not None:
        paths.append(config.path)
    paths += extra
    return [p for p in dict.fromkeys(paths) if p.exists()]


# How long a rebuild waits for a nightly run (or `briefing site`) that is publishing.
LOCK_WAIT = 600.0


def rebuild(config: Any, out: Path, pdf: bool, lock_wait: float = LOCK_WAIT) -> str:
    """One build of the preview, under the nightly lock; the message to show."""
    from briefing.publish.lock import NightlyPaths, nightly_lock
    from briefing.store import Store

    formats = None if pdf else [f for f in config.site.formats if f != "pdf"]
    options = options_from_config(config, formats=formats)
    try:
        with (
            nightly_lock(NightlyPaths.from_config(config, out).lock, lock_wait),
            Store.open(config.store_path, busy_timeout=config.settings.busy_timeout) as store,
        ):
            return build_site(store, options, out).summary_line()
    except BriefingError as exc:
        return f"error: {exc} (still serving the last good build)"


def serve_site(
    config: Any,
    *,
    port: int = 8000,
    out: Path | None = None,
    pdf: bool = False,
    extra_watch: list[Path] | None = None,
    echo: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Build, serve, and rebuild on change until interrupted (or `stop` is set)."""
    from watchfiles import watch

    target = out or config.resolve(config.site.out)
    echo(rebuild(config, target, pdf))
    server = make_server(target, port)
    bound = server.server_address[1]
    echo(f"serving {target} on http://127.0.0.1:{bound}/ (Ctrl-C to stop)")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop = stop or threading.Event()
    ignore = (target.name, f"{target.name}.releases")

    def relevant(change: Any, path: str) -> bool:
        return not any(part in ignore for part in Path(path).parts) and not path.endswith(".pyc")

    try:
        for _changes in watch(*watch_paths(config, extra_watch or []), watch_filter=relevant,
                              stop_event=stop, debounce=400):
            echo(rebuild(config, target, pdf))
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
