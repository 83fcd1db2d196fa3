"""nntutor: learn how neural networks work by building one, in the terminal."""

__version__ = "0.1.0"
