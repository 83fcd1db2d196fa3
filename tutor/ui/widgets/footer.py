"""A footer that never cuts a key at the edge of the screen.

Which keys work changes with the exercise, the verdict and the focus, and
several people add keys: rather than count columns by hand per screen, the
footer drops the keys the screen needs least (its FOOTER_DROP_ORDER, first
dropped first) until the rest fit. Every key stays in the help screen (F1),
which is never dropped.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NEVER_DROPPED = ("help",)


class FittingFooter(Footer):
    _keys_shown: tuple | None = None  # what the footer's keys were composed from

    async def recompose(self) -> None:
        """Rebuild the keys only when they change. Textual's footer recomposes on every
        refresh of the bindings (a verdict, a focus move), remounting each key; with the
        same keys that costs a frame's worth of work for nothing."""
        keys = self._keys_wanted()
        if keys == self._keys_shown and self.children:
            return
        self._keys_shown = keys
        await super().recompose()
        self.call_after_refresh(self.fit_keys)

    def _keys_wanted(self) -> tuple:
        """Everything Footer.compose builds the keys from."""
        if not self._bindings_ready or not self.is_attached:
            return ()
        shown = tuple((binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
                      for (_, binding, enabled, tooltip) in self.screen.active_bindings.values() if binding.show)
        palette = self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE \
            and self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return shown, (palette[1].key, palette[2]) if palette else None

    def on_mount(self) -> None:
        self.call_after_refresh(self.fit_keys)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_keys)

    def fit_keys(self) -> None:
        """Show every key, then hide the least needed ones while they overflow."""
        if not self.is_attached:
            return
        keys = [key for key in self.query(FooterKey) if not key.has_class("-command-palette")]
        palette = [key for key in self.query(FooterKey) if key.has_class("-command-palette")]
        room = (self.size.width or self.app.size.width) - sum(footprint(key) for key in palette)
        for key in keys:
            key.display = True
        order = tuple(getattr(self.screen, "FOOTER_DROP_ORDER", ()))

        def need(position: int) -> tuple[int, int]:
            """Lower goes first: the screen's order, then from the right."""
            action = keys[position].action
            if action in NEVER_DROPPED:
                return (len(order) + len(keys) + 1, 0)
            rank = order.index(action) if action in order else len(order) + (len(keys) - position)
            return (rank, -position)

        shown = sum(footprint(key) for key in keys)
        for position in sorted(range(len(keys)), key=need):
            if shown <= room:
                break
            if keys[position].action in NEVER_DROPPED:
                continue
            keys[position].display = False
            shown -= footprint(keys[position])


def footprint(key: FooterKey) -> int:
    """The columns a key takes in the footer row, its margins included (from
    its text, so a key hidden last time is measured too)."""
    margin = key.styles.margin
    text = key.get_content_width(Size(0, 0), Size(0, 0))
    return text + key.styles.gutter.width + margin.left + margin.right
