"""Print syllable accuracy of OCR repair before → after (see search_api/repair_eval.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search_api.repair_eval import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
