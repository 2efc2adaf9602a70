"""The one compiled part, which pyproject.toml cannot declare yet without an experimental
table: ``pairing._assign`` (pairing/_assign.c), the mentorship solver's warm start and
its Bellman-Ford. Plain C against Python's own headers; ``pip install`` builds it with
the machine's C compiler. Everything else is in pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("pairing._assign", ["pairing/_assign.c"], extra_compile_args=["-O2"])])
