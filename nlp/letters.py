"""Upper- and lower-case letters of the Latin and Cyrillic scripts, for regex classes.

Names in reports are written in more than German, Russian and English letters: Erdoğan,
Nečas, Šefčovič, Łukasz, Əliyev, Қасым, Nguyễn Mạnh Hùng. `[A-ZÄÖÜА-ЯЁ]` misses them; these
classes do not.
"""

from __future__ import annotations

# Basic Latin to Cyrillic (U+0041-U+052F): Latin-1, Latin Extended-A/B, IPA-free letters,
# Greek and Cyrillic with its supplement; and Latin Extended Additional (U+1E00-U+1EFF), the
# stacked accents of Vietnamese.
_LETTERS = [
    chr(code) for code in (*range(0x41, 0x530), *range(0x1E00, 0x1F00)) if chr(code).isalpha()
]
UPPER = "".join(c for c in _LETTERS if c.isupper())
LOWER = "".join(c for c in _LETTERS if c.islower())
