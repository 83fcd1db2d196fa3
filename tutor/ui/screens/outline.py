"""The course outline: every lesson and exercise with its progress mark.

It is the first screen, and its first frame already lists the lessons when the
outline index knows every lesson file (tutor.course.listing.indexed_outline):
the tree is filled before it is mounted. The progress marks come a frame later,
once the store is open (their column is kept blank until then), and the full,
validating load replaces the headers with the lessons (kinds, intros, broken
files) after that. With a cold index the headers are read in a worker first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from tutor.ui.crash import GuardedHandlers
from tutor.ui.screens import outline_practice as practice
from tutor.ui.navigation import FRESH, MARK_STYLES, MARKS, Spot, find, lesson_done, lesson_marks, mark

if TYPE_CHECKING:
    from textual.widgets import Tree

    from tutor.course.model import Course, LessonHeader
    from tutor.progress.store import ProgressStore


@dataclass(frozen=True)
class HeaderSpot:
    """A lesson (exercise None) or exercise of the outline filled from headers,
    by id: the full load may drop a broken lesson, so indexes would shift."""

    lesson_id: str
    exercise: str | None = None


def first_paragraph(markdown: str) -> str:
    """The opening paragraph as plain words: a taste of the lesson, not a render of it."""
    for block in markdown.split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and not lines[0].startswith(("#", "|", "```", "-", "*", ">")):
            return " ".join(lines).replace("**", "").replace("`", "")
    return ""


def add_leaves(node, header: LessonHeader, labels: list[Text]) -> None:
    for eid, label in zip(header.exercise_ids, labels):
        node.add_leaf(label, data=HeaderSpot(header.id, eid))


class OutlineScreen(GuardedHandlers, Screen):
    BINDINGS = [
        Binding("c", "continue", "Continue"),
        Binding("p", "app.playground", "Playground"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.built = False  # the tree and footer come after the first frame
        self._headers: dict[str, LessonHeader] = {}  # by id, while the outline shows headers

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("nntutor", "bold"), "  loading the course..."), id="banner")
        yield Static(id="notices")

    def on_mount(self) -> None:
        self.call_after_refresh(self._build)

    async def _build(self) -> None:
        from textual.widgets import Tree

        from tutor.ui.widgets.footer import FittingFooter

        tree: Tree[Spot | None] = Tree(Text("Course"), id="outline")  # Text: no markup (or emoji) parsing
        tree.show_root = False
        tree.auto_expand = False
        headers = self.app.headers if not self.app.course_ready else None
        if headers is not None:  # listed before mounting: each node added to a mounted tree repaints it
            self._list_headers(tree, headers, self.app.store)
        await self.mount_all([tree, Static(id="outline-detail"), FittingFooter()])
        self.built = True
        if headers is None:
            self.refresh_outline()
        elif tree.cursor_node is not None:
            self._show_detail(tree.cursor_node)
        tree.focus()

    def on_screen_resume(self) -> None:
        self.refresh_outline(at_current_lesson=True)

    def refresh_outline(self, at_current_lesson: bool = False) -> None:
        """The tree again, its cursor on the same line, or with `at_current_lesson`
        (back from a lesson) on the lesson the learner just left: a review entry
        that appeared meanwhile at the top must not take the cursor."""
        app = self.app
        if not self.built:
            return
        if not app.course_ready:
            if app.headers is not None:
                self._fill_from_headers(app.headers, app.store)
            return
        if app.store is None:
            return
        course, store = app.course, app.store
        total = sum(len(lesson.exercises) for lesson in course.lessons)
        self._show_banner(sum(lesson_done(store, lesson)[0] for lesson in course.lessons), total, store)
        notices = self.query_one("#notices", Static)
        notices.update(Text("\n".join(f"! {notice}" for notice in app.notices)))
        notices.display = bool(app.notices)

        tree = self.query_one("#outline")
        cursor = tree.cursor_line
        expanded = {node.data.lesson for node in tree.root.children if isinstance(node.data, Spot) and node.is_expanded}
        concepts_open = any(isinstance(node.data, practice.ConceptsEntry) and node.is_expanded
                            for node in tree.root.children)
        had_review = any(isinstance(node.data, practice.ReviewEntry) for node in tree.root.children)
        current = app.current_spot
        width = max((len(lesson.exercises) for lesson in course.lessons), default=1) + 1
        tree.clear()
        due = practice.review_count(app)
        if due is not None:  # at the top: what is due comes before what is next
            tree.root.add_leaf(practice.review_label(due), data=practice.ReviewEntry(due))
            if not had_review and cursor > 0:
                cursor += 1  # the same line stays under the cursor
        for li, lesson in enumerate(course.lessons):
            done_here, count = lesson_done(store, lesson)
            label = Text.assemble(
                (f"{lesson_marks(store, lesson) or FRESH:<{width}} ", "green" if done_here == count and count else ""),
                (f"{lesson.order}. {lesson.title}", "bold"),
                (f"  {done_here}/{count}", "dim"),
            )
            if app.problems_for(lesson.path):
                label.append("  ✗ has problems", style="bold red")
            node = tree.root.add(label, data=Spot(li, 0), expand=li in expanded or (current is not None and current.lesson == li))
            for ei, exercise in enumerate(lesson.exercises):
                symbol = mark(store, exercise)
                status = store.exercise(exercise.qualified_id).prediction  # "predicted" / "missed" say so
                node.add_leaf(Text.assemble((f"{symbol} ", MARK_STYLES.get(symbol, "")),
                                            (exercise.id, ""), (f"  {exercise.kind}", "dim"),
                                            (f" · {status}" if status else "", MARK_STYLES.get(symbol, ""))),
                              data=Spot(li, ei))
        if course.broken:
            broken = tree.root.add(Text("Lessons that did not load", style="bold red"), data=None, expand=True)
            for item in course.broken:
                problem_node = broken.add(Text(f"✗ {item.path.name}", style="red"), data=None, expand=True)
                for problem in item.problems:
                    problem_node.add_leaf(Text(str(problem)), data=None)
        practice.add_concepts(tree.root, app, expand=concepts_open)
        if not course.lessons and not course.broken:
            tree.root.add_leaf(Text(f"No lessons found in {course.root}"), data=None)
        if at_current_lesson and current is not None:
            line = 0  # (the tree numbers its lines only when it next draws them)
            for node in tree.root.children:
                if isinstance(node.data, Spot) and node.data.lesson == current.lesson:
                    cursor = line
                    break
                line += _rows(node)
        tree.cursor_line = max(cursor, 0)
        if tree.cursor_node is not None:  # the same line posts no highlight: the detail would stay stale
            self._show_detail(tree.cursor_node)

    def _fill_from_headers(self, headers: list[LessonHeader], store: ProgressStore | None) -> None:
        """The outline from the lessons' headers, while every lesson is still being
        validated: titles, and progress marks by exercise id once the progress is
        open (store None: the first frame, before it is; the marks' column is kept
        blank so nothing moves when they arrive). Kinds, intros and broken lessons
        come with the full load."""
        if store is not None:
            total = sum(len(header.exercise_ids) for header in headers)
            done = sum(store.exercise(f"{header.id}/{eid}").finished for header in headers for eid in header.exercise_ids)
            self._show_banner(done, total, store)
        self._list_headers(self.query_one("#outline"), headers, store)

    def _show_banner(self, done: int, total: int, store: ProgressStore) -> None:
        banner = Text.assemble(("nntutor", "bold"))
        if store.read_only:
            banner.append(" (read-only)", style="bold yellow")
        banner.append("  learn how neural networks work by building one  ")
        banner.append(f"{done}/{total} done", style="dim")
        self.query_one("#banner", Static).update(banner)

    def _list_headers(self, tree: Tree, headers: list[LessonHeader], store: ProgressStore | None) -> None:
        """Fill `tree` with the headers, or relabel the nodes if it already lists them."""
        width = max((len(header.exercise_ids) for header in headers), default=1) + 1
        rows = []
        for header in headers:
            statuses = [store.exercise(f"{header.id}/{eid}") for eid in header.exercise_ids] if store is not None else []
            marks = [MARKS[status.status] for status in statuses] or [" "] * len(header.exercise_ids)
            done_here, count = sum(status.finished for status in statuses), len(header.exercise_ids)
            all_done = store is not None and done_here == count and count
            label = Text.assemble(
                (f"{''.join(marks) or FRESH:<{width}} ", "green" if all_done else ""),
                (f"{header.order}. {header.title}", "bold"),
            )
            if store is not None:
                label.append(f"  {done_here}/{count}", style="dim")
            leaves = [Text.assemble((f"{symbol} ", MARK_STYLES.get(symbol, "")), (eid, ""))
                      for eid, symbol in zip(header.exercise_ids, marks)]
            rows.append((header, label, leaves))
        self._headers = {header.id: header for header in headers}
        nodes = tree.root.children
        if [node.data for node in nodes] == [HeaderSpot(header.id) for header in headers]:
            for node, (header, label, leaves) in zip(nodes, rows):  # the marks arrived: relabel, keep cursor and folds
                node.set_label(label)
                if len(node.children) == len(leaves):
                    for leaf, leaf_label in zip(node.children, leaves):
                        leaf.set_label(leaf_label)
                elif not node.children:
                    add_leaves(node, header, leaves)
            return
        tree.clear()
        for header, label, leaves in rows:
            node = tree.root.add(label, data=HeaderSpot(header.id), expand=False)
            if store is not None:  # the first frame lists the lessons only: their exercises are folded away
                add_leaves(node, header, leaves)
        tree.cursor_line = 0
        if tree.is_mounted and tree.cursor_node is not None:
            self._show_detail(tree.cursor_node)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        # the cursor's node, not the event's: a highlight posted before the tree was
        # rebuilt (headers, then the full course) names a node that is gone
        node = event.control.cursor_node
        if node is not None:
            self._show_detail(node)

    def _show_detail(self, node) -> None:
        """Under the tree: what the highlighted lesson is about and how to start."""
        spot = node.data
        detail = self.query_one("#outline-detail", Static)
        if isinstance(spot, HeaderSpot):
            header = self._headers[spot.lesson_id]
            text = Text(f"{header.order}. {header.title}\n", style="bold")
            text.append("Loading the lesson… Enter opens it as soon as it is ready", style="dim")
            detail.update(text)
            return
        if spot is None:
            detail.update(Text("Fix the file and run `nntutor lint` on it to see every problem.", style="dim"))
            return
        if isinstance(spot, practice.PRACTICE_ENTRIES):
            detail.update(practice.detail(self.app, spot))
            return
        lesson = self.app.course.lessons[spot.lesson]
        text = Text.assemble((f"{lesson.order}. {lesson.title}\n", "bold"))
        intro = first_paragraph(lesson.intro)
        if intro:
            text.append(intro[:300] + ("…" if len(intro) > 300 else "") + "\n")
        if node.children or not lesson.exercises:
            text.append("Enter opens it at the first exercise not yet done · Space folds", style="dim")
        else:
            exercise = lesson.exercises[spot.exercise]
            text.append(f"{exercise.kind}: ", style="dim")
            text.append(exercise.prompt.strip())
        detail.update(text)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        spot = event.node.data
        if isinstance(spot, HeaderSpot):  # the course is still loading: open it when it has
            self.app.when_course_loaded(lambda course: self._open_header_spot(course, spot))
            return
        if spot is None:
            event.node.toggle()
            return
        if isinstance(spot, practice.PRACTICE_ENTRIES):
            practice.choose(self.app, spot, event.node)
            return
        if not event.node.children:  # an exercise
            self.app.open_spot(spot)
            return
        lesson = self.app.course.lessons[spot.lesson]
        first_open = next((ei for ei, exercise in enumerate(lesson.exercises)
                           if not self.app.store.exercise(exercise.qualified_id).finished), 0)
        self.app.open_spot(Spot(spot.lesson, first_open))

    def _open_header_spot(self, course: Course, spot: HeaderSpot) -> None:
        found = find(course, spot.lesson_id, spot.exercise)
        if found is None:  # it did not load after all: the outline now lists its problems
            self.app.notify(f"Lesson {spot.lesson_id!r} did not load; see its problems in the outline.",
                            severity="error", timeout=8)
            return
        if spot.exercise is None:
            lesson = course.lessons[found.lesson]
            first_open = next((ei for ei, exercise in enumerate(lesson.exercises)
                               if not self.app.store.exercise(exercise.qualified_id).finished), 0)
            found = Spot(found.lesson, first_open)
        self.app.open_spot(found)

    def action_continue(self) -> None:
        if self.app.store is None:
            return
        self.app.when_course_loaded(lambda course: self.app.continue_course())


def _rows(node) -> int:
    """How many lines a tree node takes: itself, and its children's while expanded."""
    return 1 + (sum(_rows(child) for child in node.children) if node.is_expanded else 0)
