from dentruong.formats.vi.formats import *  # noqa: F403 — the same dd/mm/yyyy dates in English
