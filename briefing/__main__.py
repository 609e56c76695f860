"""`python -m briefing`: the same entry point as the `briefing` command."""

from briefing.cli import main

main()
