"""The app under a real terminal, logging each key's arrival and each screen write (for bench/run.py).

    python bench/keys.py DATAFILE LOG

Loads DATAFILE before the app starts (load time is not what this measures), opens the explorer
and appends to LOG one line per event, all on the clock Textual stamps key events with
(time.monotonic):

    K <key> <time the key event was made, in the input thread> <time the app took it>
    D <time a frame was handed to the terminal driver>
    W <0|1> <time>    when workers (insights) start or stop running (looked at every 10 ms)
    I <time>          when a worker's insight sentences reach the sweep view (before they are drawn)
    READY <time>      once the first view is on screen and its insights are in

bench/run.py sends keys with `tmux send-keys` and reads the log: a key's latency is the time
from its event to the last frame written before the screen went quiet for a moment (the frame
that shows what the key changed); text a worker fills in later is timed apart (see run.py).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from textual import events

from tui.app.main import make_app
from tui.app.widgets.sweep_view import SweepView
from tui.core.loader import load


def main() -> None:
    data, log_path = Path(sys.argv[1]), Path(sys.argv[2])
    app = make_app(load([data]))
    log = open(log_path, "a", buffering=1)  # "a": a debugging wrapper may log to it too

    display = app._display

    def logged_display(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None and not app._batch_count:
            log.write(f"D {time.monotonic()}\n")

    on_event = app.on_event

    async def logged_event(event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:  # not again as it bubbles back
            log.write(f"K {event.key} {event.time} {time.monotonic()}\n")
        await on_event(event)

    app._display = logged_display

    insights_ready = SweepView.on_sweep_view_insights_ready

    def logged_insights(view, message) -> None:
        log.write(f"I {time.monotonic()}\n")
        insights_ready(view, message)

    SweepView.on_sweep_view_insights_ready = logged_insights
    app.on_event = logged_event

    busy = [None]

    def watch_workers() -> None:
        running = int(any(w.is_running for w in app.workers))
        if running != busy[0]:
            busy[0] = running
            log.write(f"W {running} {time.monotonic()}\n")

    def ready() -> None:
        if any(not w.is_finished for w in app.workers):
            app.set_timer(0.05, ready)
        else:
            log.write(f"READY {time.monotonic()}\n")

    app.call_later(lambda: app.set_timer(0.3, ready))
    app.call_later(lambda: app.set_interval(0.01, watch_workers))
    app.run()
    log.close()


if __name__ == "__main__":
    main()
