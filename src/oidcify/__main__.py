import sys

from oidcify.cli import main

sys.exit(main())
