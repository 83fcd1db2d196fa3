"""The two stylesheets (tutor.ui.styles): the first frame parses the outline's
rules only, the lesson screens' rules are read while the outline shows, and a
screen shown before that still has them (its CSS_PATH)."""

from textual.css.stylesheet import Stylesheet
from textual.geometry import Spacing

from tutor.ui import styles
from uikit import open_at, until


def lesson_rules_applied(app) -> bool:
    """screens.tcss gives the prose `padding: 0 1`."""
    return app.screen.query_one("#prose").styles.padding == Spacing(0, 1, 0, 1)


async def test_the_lesson_rules_are_read_while_the_outline_shows(builtin_tutor, monkeypatch):
    async with builtin_tutor() as (app, pilot):
        await until(pilot, lambda: app.stylesheet.has_source(str(styles.SCREENS)),
                    message=lambda: "screens.tcss was never read after the first frame")
        reparsed = []
        original = Stylesheet.reparse
        monkeypatch.setattr(Stylesheet, "reparse", lambda self: (reparsed.append(self), original(self))[1])
        await open_at(app, pilot, "neuron/forward")
        assert lesson_rules_applied(app)
        assert reparsed == []  # opening the lesson parsed nothing again


async def test_a_screen_shown_before_the_rest_is_read_has_its_rules(builtin_tutor, monkeypatch):
    monkeypatch.setattr(styles, "read_the_rest", lambda app: None)
    async with builtin_tutor() as (app, pilot):
        assert not app.stylesheet.has_source(str(styles.SCREENS))
        assert app.stylesheet.has_source(str(styles.FIRST_FRAME))
        await open_at(app, pilot, "neuron/forward")
        assert app.stylesheet.has_source(str(styles.SCREENS))  # the lesson screen's CSS_PATH
        assert lesson_rules_applied(app)


def test_the_first_frame_stylesheet_has_no_lesson_rules():
    """What tutor.tcss styles is on the outline (or over it); every id the lesson
    screens use is styled in screens.tcss only."""
    first = styles.FIRST_FRAME.read_text(encoding="utf-8")
    rest = styles.SCREENS.read_text(encoding="utf-8")
    for selector in ("#prose", "#answer-code", "#feedback", "#details", "#dialog", "#closing"):
        assert selector in rest and selector not in first, selector
