"""The tutor's two stylesheets, and when each is read.

Textual parses every rule of an app's CSS_PATH before the app's first frame,
and the outline needs a handful of them. So `FIRST_FRAME` (tutor.tcss) holds
only what the outline and what may show over it need (the bars, the notices,
the too-small notice, toasts), and `SCREENS` (screens.tcss) the rules of every
screen opened from the outline. Each of those screens names `SCREENS` as its
CSS_PATH, which is Textual's own guarantee that the rules are there when the
screen is shown; `read_the_rest` reads them while the learner looks at the
outline, so that opening the first lesson does not parse them then.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

HERE = Path(__file__).resolve().parent
FIRST_FRAME = HERE / "tutor.tcss"
SCREENS = HERE / "screens.tcss"


def read_the_rest(app: App) -> None:
    """Read and parse the screens' stylesheet now, not on the first push of a
    screen that names it (Textual would then re-parse every source)."""
    stylesheet = app.stylesheet
    if stylesheet.has_source(str(SCREENS)):
        return
    stylesheet.read(SCREENS)
    stylesheet.parse()  # only the new source: the others come from Textual's parse cache
    stylesheet.update(app)  # the outline's widgets, in case a rule there matches them
