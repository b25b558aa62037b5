"""``python -m hailuo_dsl``: the ``hailuo`` command."""

from hailuo_dsl.cli import main

main()
