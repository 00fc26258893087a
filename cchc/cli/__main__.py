"""`python -m cchc.cli`: the same as the `cchc` command."""

from cchc.cli.main import main

if __name__ == "__main__":  # not when a spawned worker process imports it
    main()
