"""`python -m tui` runs the command line, as the `convener` command does."""

from tui.launch import main

raise SystemExit(main())
