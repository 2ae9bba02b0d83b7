import sys

from warta.cli import main

sys.exit(main())
