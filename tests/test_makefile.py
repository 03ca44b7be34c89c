"""The Makefile's variables are documented where a newcomer reads first."""

import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def test_every_variable_the_makefile_takes_is_in_the_readme():
    makefile = (PROJECT / "Makefile").read_text()
    readme = (PROJECT / "README.md").read_text()
    # Set with ?= (a default to override) or used by a target without a default.
    defaults = set(re.findall(r"^([A-Z_]+) \?=", makefile, re.M))
    used = set(re.findall(r"\$\(([A-Z_]+)\)", makefile)) - {"MAKEFILE_LIST", "BIN"}
    internal = set(re.findall(r"^([A-Z_]+) :=", makefile, re.M))

    variables = (defaults | used) - internal

    assert {"HOST", "PYTEST_ARGS", "EVENT", "FILE"} <= variables
    assert sorted(name for name in variables if f"`{name}`" not in readme) == []
