"""`python -m crawler`: crawl sources in this fresh process and print one JSON line each."""

import sys

from crawler.runner import main

sys.exit(main())
