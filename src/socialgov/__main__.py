from socialgov.cli import main

raise SystemExit(main())
