"""Find the parts of an article that are not the article: footers, link lists, adverts.

News pages copied as text keep their site furniture: "Follow us on Facebook", agency credit
lines ("... contributed to this report"), separator rules (``____ ____``), "Related"/"Last
News" lists of other headlines, and adverts. Place names there ("writers from Yerevan and
Baku") are not events of the story, so recognition ignores these spans.

The rules are line-based and general (wording patterns, line shape and position), not strings
of particular sites. Every rule errs on the side of keeping text: a missed footer costs a stray
mention; a dropped paragraph costs real events.
"""

from __future__ import annotations

import re

from geo.models import Span

#: A line made only of rule characters: ``____ ____``, ``* * *``, ``-----``, ``===``.
_SEPARATOR = re.compile(r"^[\s_\-–—=*~#·•.]{3,}$")

#: Headings that introduce a list of other stories.
_LIST_HEADING = re.compile(
    r"^(?:(?:the\s+)?(?:last|latest|more|top|most\s+(?:read|popular|viewed)|popular|trending|"
    r"related|recommended|editor'?s'?\s+picks?|other|recent)\b[\w\s]{0,30}|read\s+(?:more|also|next)|"
    r"see\s+also|you\s+may\s+also\s+like|also\s+read|more\s+from\b.*|"
    r"читайте\s+также|читайте\s+(?:ещё|еще)|по\s+теме|новости\s+по\s+теме|"
    r"последние\s+новости|похожие(?:\s+\w+)?|популярное|самое\s+(?:читаемое|популярное)|"
    r"другие\s+новости|лента\s+новостей|смотрите\s+также)\s*:?$",
    re.I,
)

#: Credit lines of wire agencies and newsrooms: "... contributed to this report" anywhere in
#: the line, or a credit that opens it. The two halves are also compiled apart: the opening
#: half is then a quick anchored match, the other half is searched only in lines that
#: contain "contributed".
_CREDIT_ANYWHERE = (
    r"\bcontributed\s+(?:to\s+)?(?:this\s+|the\s+)?(?:report|story|article|reporting)\b"
)
_CREDIT_OPENING = (
    r"^(?:additional\s+)?(?:reporting|writing|editing|compiled|translated)\s+by\b|"
    r"^(?:\(\s*(?:with\s+)?|with\s+)(?:inputs?|reporting)\s+from\b|"
    r"^(?:при\s+подготовке\s+(?:материала|статьи)|материал\s+подготовил|автор\s*:)"
)
_CREDIT_ANYWHERE_RE = re.compile(_CREDIT_ANYWHERE, re.I)
_CREDIT_OPENING_RE = re.compile(_CREDIT_OPENING, re.I)

#: Calls to follow, like, subscribe or share.
_SOCIAL = re.compile(
    r"^(?:please\s+)?(?:follow|like|subscribe|join|share|sign\s+up|download|get)\s.{0,80}?"
    r"\b(?:facebook|twitter|x\.com|instagram|telegram|youtube|tiktok|whatsapp|linkedin|"
    r"newsletter|rss|telegram\s+channel|whatsapp\s+channel)\b"
    r"|^(?:подписывайтесь|подпишитесь|следите\s+за|читайте\s+нас|присоединяйтесь)\b",
    re.I,
)

#: Words of selling; an advert line has several of them.
_ADVERT_WORDS = re.compile(
    r"\b(?:buy|buying|price[sd]?|products?|guaranteed|discounts?|shop(?:ping)?|coupons?|"
    r"order\s+now|click\s+here|check\s+here|sponsored|advertisement|promo|"
    r"free\s+shipping|купить|скидк\w*|цен[аы]|реклама)\b",
    re.I,
)
#: Every match of _ADVERT_WORDS contains one of these (in :func:`_fold`ed text): searching
#: for them is much cheaper than running the pattern on every line.
_ADVERT_KEYS = (
    "buy", "pric", "product", "guaranteed", "discount", "shop", "coupon", "order", "click",
    "check", "sponsored", "advertisement", "promo", "free", "купить", "скидк", "цен", "реклама",
)  # fmt: skip
_ADVERT_ASCII_KEYS = tuple(k for k in _ADVERT_KEYS if k.isascii())  # all a line in ASCII can hold
#: Letters that ``re.I`` matches to a letter of those keys but ``str.lower`` does not turn
#: into it (dotless i, long s, the Cyrillic rounded and tall forms; the dot that "İ".lower()
#: adds after the i): see re._casefix.
_FOLD = str.maketrans(
    {
        "ı": "i", "ſ": "s", "\u0307": None, "ᲀ": "в", "ᲁ": "д", "ᲂ": "о", "ᲃ": "с",
        "ᲄ": "т", "ᲅ": "т", "ᲆ": "ъ", "ᲇ": "ѣ", "ᲈ": "ꙋ",
    }
)  # fmt: skip
_FOLD_CHARS = re.compile("[ıſ\u0307\u1c80-\u1c88]")


_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright\b|all\s+rights\s+reserved|все\s+права\s+защищены)", re.I
)
#: A line that is only an advert marker.
_AD_MARKER = re.compile(
    r"^(?:advertisement|advert|sponsored(?:\s+content)?|promoted|paid\s+content|"
    r"реклама|партн[её]рский\s+материал)\W*$",
    re.I,
)
#: "Read more: <headline>" on one line.
_INLINE_LINK = re.compile(
    r"^(?:read\s+(?:more|also|next)|also\s+read|see\s+also|related|watch|listen|"
    r"читайте\s+(?:также|ещё|еще)|по\s+теме|смотрите\s+также)\s*[:|—–-]\s*\S",
    re.I,
)
#: Picture credits and captions ("Photo: AFP", "Фото: ТАСС"): short lines only.
_CAPTION = re.compile(r"^(?:photo|image|picture|video|credit|фото|видео)\s*(?::|by\b)", re.I)

_SENTENCE_END = re.compile(r"[.…:;,]$")


def _fold(line: str) -> str:
    """``line`` lower-cased so that a key found by ``in`` is never missed where ``re.I``
    would match it (a cheap, conservative pre-check)."""
    low = line.lower()
    if line.isascii():  # (none of the _FOLD letters)
        return low
    return low.translate(_FOLD) if _FOLD_CHARS.search(low) else low


def _has_adverts(line: str, folded: str) -> bool:
    """Whether ``line`` (``folded``: its :func:`_fold`) has two different selling words."""
    # Each match starts with a key, so two matches need two key occurrences: count them
    # before running the pattern (most lines have none, or one "price" or "checkpoint").
    found = 0
    for key in _ADVERT_KEYS if not folded.isascii() else _ADVERT_ASCII_KEYS:
        if key in folded:
            found += folded.count(key)
            if found >= 2:
                return len({w.lower() for w in _ADVERT_WORDS.findall(line)}) >= 2
    return False


def _headline_like(line: str) -> bool:
    """A short line without final sentence punctuation: a headline or link text."""
    words = line.split()
    if not 2 <= len(words) <= 25 or len(line) > 200:
        return False
    # A headline may end in ? or !, or in a closing quote, but not in a full stop.
    return not _SENTENCE_END.search(line.rstrip().rstrip("\"'”’»)"))


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stripped line) of every non-blank line."""
    out = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append((pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw)
    return out


#: The line-start rules in one pattern (one match call per line instead of four).
_FOOTER_START = re.compile(
    "|".join(f"(?:{rx.pattern})" for rx in (_SOCIAL, _CREDIT_OPENING_RE, _COPYRIGHT, _AD_MARKER)),
    re.I,
)


def _is_footer_line(line: str) -> bool:
    if _SEPARATOR.match(line):
        return True
    # Footers are short; a long line is a paragraph that happens to share their words.
    # (41 words take at least 81 characters: shorter lines need no split.)
    if len(line) > 80 and len(line.split(None, 40)) > 40:
        return False
    # Cheapest tests first; the two unanchored patterns run only where their key words occur.
    if (
        _FOOTER_START.match(line)
        or (_INLINE_LINK.match(line) and len(line.split()) <= 25)
        or (_CAPTION.match(line) and len(line.split()) <= 12)
    ):
        return True
    folded = _fold(line)
    return bool(
        ("contributed" in folded and _CREDIT_ANYWHERE_RE.search(line)) or _has_adverts(line, folded)
    )


def find_boilerplate(text: str) -> list[Span]:
    """Spans of ``text`` that are site furniture rather than the article, merged and sorted.

    Rules:
    - a separator line, a follow/subscribe call, an agency credit, a copyright line, or a line
      with several selling words, anywhere;
    - a list heading ("Related", "Last News", "Читайте также") followed by headline-like
      lines: the heading and the run of headlines;
    - in the last third of the text, once a footer line has been seen, a run of headline-like
      lines that follows it (an unlabelled list of links).
    """
    lines = _lines(text)
    spans: list[tuple[int, int]] = []
    tail_from = len(text) * 2 // 3
    i = 0
    in_footer = False
    while i < len(lines):
        start, end, line = lines[i]
        if _LIST_HEADING.match(line) and len(line.split()) <= 6:
            j = i + 1
            while j < len(lines) and _headline_like(lines[j][2]):
                j += 1
            if j > i + 1 or j == len(lines):
                spans.append((start, lines[j - 1][1]))
                in_footer = in_footer or start >= tail_from
                i = j
                continue
        if _is_footer_line(line):
            spans.append((start, end))
            in_footer = in_footer or start >= tail_from
            i += 1
            continue
        if in_footer and _headline_like(line):
            spans.append((start, end))
            i += 1
            continue
        in_footer = False
        i += 1
    return _merge(text, spans)


def _merge(text: str, spans: list[tuple[int, int]]) -> list[Span]:
    """Merge spans separated only by whitespace."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and not text[merged[-1][1] : s].strip():
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [Span(start=s, end=e) for s, e in merged]
