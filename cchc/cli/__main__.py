"""`python -m cchc.cli`: the same as the `cchc` command."""

from cchc.cli.main import main

main()
