"""NumPy's errors in the course's words, with the learner's own names and shapes.

"matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc
signature (n?,k),(k,m?)->(n?,m?)" is true and useless to a learner. The
traceback's last line of the learner's code says which expression failed
(``return weights @ inputs``), and the case's arguments say what shapes the
names had, so the checker can say "weights is (3, 2) and inputs is (3,): @
needs the inner sizes to match; did you mean inputs @ weights?". The line is
parsed, never run. The raw message stays in the case's details.
"""

from __future__ import annotations

import ast
import re
from typing import Any, Mapping

import numpy as np

from tutor.sandbox.api import LearnerError

# modules the sandbox offers; anything else a learner imports is "not available here"
AVAILABLE = ("numpy", "math", "random", "itertools", "functools", "collections", "statistics")


def missing_module(error: LearnerError) -> str | None:
    """The top-level name of a module the learner imported and the sandbox lacks."""
    if error.type_name not in ("ModuleNotFoundError", "ImportError"):
        return None
    match = re.search(r"No module named '([\w.]+)'", error.message)
    return match.group(1).split(".")[0] if match else None


def module_message(module: str) -> str:
    instead = {
        "scipy": " For scipy.special.expit write 1 / (1 + np.exp(-z)); for logsumexp, subtract the maximum before np.exp.",
        "torch": " The course builds with NumPy arrays what PyTorch would give you.",
        "sklearn": " The lesson's data and models are written with NumPy.",
        "tensorflow": " The course builds with NumPy arrays what Keras would give you.",
    }.get(module, "")
    return (f"{module} is not available here: your code runs with NumPy and Python's standard library only, "
            f"so it could not be checked.{instead}")


def translate(error: LearnerError, args: Mapping[str, Any]) -> str | None:
    """The error in the course's words, or None when it is not one we know."""
    line = _failing_line(error)
    message = error.message
    if "mismatch in its core dimension" in message or "not aligned" in message:
        return _matmul(line, message, args)
    if "could not be broadcast" in message or "non-broadcastable output operand" in message:
        return _broadcast(line, message, args)
    if "truth value of an array" in message:
        return _truth_value(line)
    if error.type_name == "IndexError" and ("valid indices" in message or "integer (or boolean) type" in message):
        return _float_index(line, args)
    if error.type_name == "TypeError" and "cannot be interpreted as an integer" in message:
        return _float_count(line)
    if error.type_name == "TypeError" and "slice indices must be integers" in message:
        return _float_index(line, args)
    if error.type_name == "TypeError" and re.search(r"unexpected keyword argument|missing \d+ required positional", message):
        return None  # the checker's own call: see tutor.checking.signature
    return None


def _failing_line(error: LearnerError) -> str:
    """The source text of the innermost frame of the learner's code."""
    if not error.traceback:
        return ""
    last = error.traceback[-1]
    return last.split(": ", 1)[1].strip() if ": " in last else ""


def _at(line: str) -> str:
    return f"in '{line}'" if line else "here"


def _shape(value: Any) -> tuple[int, ...] | None:
    if isinstance(value, np.ndarray):
        return tuple(value.shape)
    if isinstance(value, (int, float)):
        return ()
    return None


def _words(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def _operands(line: str) -> list[tuple[ast.AST, ast.AST, str]]:
    """Each matrix product in the line: (left, right, how it is written)."""
    try:
        tree = ast.parse(line.removeprefix("return ").strip() or "0", mode="eval")
    except SyntaxError:
        try:
            tree = ast.parse(line, mode="exec")
        except SyntaxError:
            return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            found.append((node.left, node.right, "@"))
        elif isinstance(node, ast.Call) and len(node.args) == 2 and _called(node.func) in ("dot", "matmul"):
            found.append((node.args[0], node.args[1], _called(node.func)))
        elif isinstance(node, ast.Call) and len(node.args) == 1 and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "dot":
            found.append((node.func.value, node.args[0], ".dot"))
    return found


def _called(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("np", "numpy"):
        return func.attr
    return ""


def _shape_of(node: ast.AST, args: Mapping[str, Any]) -> tuple[int, ...] | None:
    if isinstance(node, ast.Name):
        return _shape(args.get(node.id))
    if isinstance(node, ast.Attribute) and node.attr == "T":
        inner = _shape_of(node.value, args)
        return None if inner is None else inner[::-1]
    return None


def _inner_ok(left: tuple[int, ...], right: tuple[int, ...]) -> bool:
    if not left or not right:
        return False
    return left[-1] == (right[0] if len(right) == 1 else right[-2])


def _matmul(line: str, message: str, args: Mapping[str, Any]) -> str:
    for left, right, how in _operands(line):
        a, b = _shape_of(left, args), _shape_of(right, args)
        if a is None or b is None or _inner_ok(a, b):
            continue
        x, y = ast.unparse(left), ast.unparse(right)
        said = f"{x} @ {y}" if how == "@" else f"np.{how}({x}, {y})" if how in ("dot", "matmul") else f"{x}.dot({y})"
        text = (f"{x} is {_words(a)} and {y} is {_words(b)}: {'@' if how == '@' else how.strip('.')} needs the inner "
                f"sizes to match (the last size of {x}, the first of {y})")
        if _inner_ok(b, a):
            swapped = f"{y} @ {x}" if how == "@" else f"np.{how}({y}, {x})" if how in ("dot", "matmul") else f"{y}.dot({x})"
            return f"{text}; did you mean {swapped}?"
        if len(a) == 2 and _inner_ok(a[::-1], b):
            return f"{text}; did you mean {x}.T instead of {x}?"
        return f"{text}, in {said}."
    sizes = re.search(r"size (\d+) is different from (\d+)", message) or re.search(r"(\d+) \(dim \d+\) != (\d+)", message)
    detail = f" (here {sizes.group(1)} and {sizes.group(2)})" if sizes else ""
    return (f"a matrix product {_at(line)} does not fit: @ needs the last size of the left operand to equal the "
            f"first size of the right one{detail}. Check each operand's shape, and the order of the two.")


def _broadcast(line: str, message: str, args: Mapping[str, Any]) -> str:
    shapes = [tuple(int(n) for n in re.findall(r"\d+", found)) for found in re.findall(r"\(([\d,\s]*)\)", message)]
    named = _named_shapes(line, args)
    pair = " and ".join(_words(shape) for shape in shapes[:2]) if shapes else "these shapes"
    who = f" ({named})" if named else ""
    hint = ""
    if len(shapes) >= 2 and _column_and_vector(shapes[0], shapes[1]):
        hint = " One of them is an (n, 1) column and the other a flat vector: make both the same, e.g. with .reshape(-1) or .reshape(-1, 1)."
    return (f"NumPy cannot combine shapes {pair} element by element {_at(line)}{who}: it lines sizes up from the "
            f"right and each pair must be equal or 1.{hint}")


def _column_and_vector(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return (len(a) == 2 and a[1] == 1 and len(b) == 1) or (len(b) == 2 and b[1] == 1 and len(a) == 1)


def _named_shapes(line: str, args: Mapping[str, Any]) -> str:
    try:
        tree = ast.parse(line.removeprefix("return ").strip(), mode="eval")
    except SyntaxError:
        try:
            tree = ast.parse(line)
        except SyntaxError:
            return ""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in names:
            shape = _shape(args.get(node.id))
            if shape:
                names.append(node.id)
    return ", ".join(f"{name} is {_words(_shape(args[name]) or ())}" for name in names)


def _truth_value(line: str) -> str:
    stripped = line.strip().rstrip(":")
    if re.search(r"\b(and|or|not)\b", stripped) and not stripped.startswith(("if ", "elif ", "while ")):
        return (f"'{stripped}' combines arrays with and/or, which ask one yes-or-no question of each side. "
                "Element by element, use & and | (with brackets) or np.logical_and.")
    return (f"'{stripped}' asks one yes-or-no question of a whole array, which is true for some elements and "
            "false for others. Decide element by element with np.where(condition, value_if_true, value_if_false).")


def _float_index(line: str, args: Mapping[str, Any]) -> str:
    return (f"an index {_at(line)} holds numbers with a decimal point (such as 1.0). Indices must be whole "
            "numbers: convert them with .astype(int), or int(i) for one number.")


def _float_count(line: str) -> str:
    return (f"a count {_at(line)} is a number with a decimal point; range() and shapes need whole numbers: "
            "write int(n).")
