"""Words of a written answer: folding, scripts, contractions, clauses, word forms.

Every word of an answer and of a sign phrase is reduced to a *key* so that
the forms a learner really types meet the forms an author wrote:

- case and diacritics are folded (``Podwyżki`` and ``podwyzki`` give the same
  key; ``ș``, ``ş`` and ``s`` too), so Polish and Romanian typed without
  diacritics are the same words;
- Bulgarian is compared in Latin letters (``петък`` and ``petak`` give
  ``petak``), so Bulgarian typed in Latin letters, as people often do in
  chat and e-mail, is read like Cyrillic;
- English contractions are spelled out (``can't`` → ``can not``, ``I'll`` →
  ``I will``), so negation and phrases see the full words;
- a sign word matches every inflected form of its lemma, taken from the
  dictionaries that ship with simplemma (``potwierdzić`` matches
  ``potwierdzę``, ``potwierdzimy``; ``доставя`` matches ``доставим``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import cyrtranslit

# Letters NFKD does not decompose into a base letter and a mark.
_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
# What ends a clause: negation does not reach across these.
_CLAUSE_END = re.compile(r"[.!?;:,\n()\[\]–—]+")
_CLAUSE_WORDS = {
    "en": {"but", "however", "although", "though"},
    "pl": {"ale", "lecz", "jednak", "choc"},
    "bg": {"no", "obache", "a"},
    "ro": {"dar", "insa", "ci", "totusi"},
}
_CONTRACTIONS = (
    (re.compile(r"\b(can)(?:no|['’])t\b", re.IGNORECASE), r"\1 not"),
    (re.compile(r"\bwon['’]t\b", re.IGNORECASE), "will not"),
    (re.compile(r"\bshan['’]t\b", re.IGNORECASE), "shall not"),
    (re.compile(r"(\w)n['’]t\b", re.IGNORECASE), r"\1 not"),
    (re.compile(r"(\w)['’]ll\b", re.IGNORECASE), r"\1 will"),
    (re.compile(r"(\w)['’]re\b", re.IGNORECASE), r"\1 are"),
    (re.compile(r"(\w)['’]ve\b", re.IGNORECASE), r"\1 have"),
    (re.compile(r"(\w)['’]d\b", re.IGNORECASE), r"\1 would"),
    (re.compile(r"\b(i)['’]m\b", re.IGNORECASE), r"\1 am"),
)
# Habits when Bulgarian is typed in Latin letters (after folding): 4 for ч,
# 6 for ш, w for в, q for я, x for х, j for ж, c for ц; й/ь are "y", read as "i".
_BG_CHAT = (
    (re.compile("4"), "ch"),
    (re.compile("6"), "sh"),
    (re.compile("w"), "v"),
    (re.compile("q"), "ya"),
    (re.compile("x"), "h"),
    (re.compile("j"), "zh"),
    (re.compile("c(?!h)"), "ts"),
    (re.compile("y"), "i"),
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")

NEGATORS = {
    "en": {
        "not",
        "no",
        "never",
        "without",
        "nothing",
        "neither",
        "nor",
        "none",
        "nobody",
        # typed without the apostrophe, so not spelled out
        "dont",
        "cant",
        "wont",
        "isnt",
        "didnt",
        "doesnt",
        "wasnt",
        "werent",
        "arent",
        "havent",
        "hasnt",
        "hadnt",
        "shouldnt",
        "wouldnt",
        "couldnt",
    },
    "pl": {"nie", "ani", "bez", "nigdy", "zaden", "zadna", "zadne", "zadnych", "nic", "niczego"},
    "bg": {
        "ne",
        "bez",
        "niama",
        "niamam",
        "niamame",
        "niamash",
        "niamate",
        "niamat",
        "nito",
        "nikoga",
        "nishto",
        "nikoi",
        "nikakvi",
        "nikakav",
    },
    "ro": {"nu", "fara", "niciun", "nicio", "niciodata", "nici", "n"},
}
"""Words that negate what follows them in the same clause, as keys."""


def fold(text: str) -> str:
    """Lower-case ``text`` and remove diacritics, keeping the base letters."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_FOLD)


def key(word: str, lang: str) -> str:
    """The comparison key of one word in a language (see the module docstring)."""
    if lang != "bg":
        return fold(word)
    latin = fold(cyrtranslit.to_latin(word, "bg") if _CYRILLIC.search(word) else word)
    for typed, read in _BG_CHAT:
        latin = typed.sub(read, latin)
    return latin


def spell_out(text: str, lang: str) -> str:
    """Remove invisible characters and, in English, spell out contractions."""
    text = _INVISIBLE.sub("", text)
    if lang == "en":
        for pattern, replacement in _CONTRACTIONS:
            text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True)
class Token:
    """One word of an answer: its key and the clause it stands in."""

    key: str
    clause: int


def tokens(text: str, lang: str) -> list[Token]:
    """The words of a text as keys, each with the number of its clause."""
    result: list[Token] = []
    clause = 0
    breakers = _CLAUSE_WORDS.get(lang, set())
    for part in _CLAUSE_END.split(spell_out(text, lang)):
        clause += 1
        for word in _WORD.findall(part):
            word_key = key(word, lang)
            if word_key in breakers:
                clause += 1
            result.append(Token(word_key, clause))
    return result


def sentences(text: str) -> list[str]:
    """Sentences (or lines) of a text that hold at least one word."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p for p in parts if _WORD.search(p)]


def segments(text: str) -> list[str]:
    """Stretches of text between any punctuation or line break, with words in them."""
    return [p for p in re.split(r"[.!?;:,\n•·|/()]+|\s[-–—]+\s", text) if _WORD.search(p)]


def script_share(text: str) -> tuple[float, float]:
    """The shares of Latin and of Cyrillic letters among a text's letters."""
    latin = len(_LATIN.findall(text))
    cyrillic = len(_CYRILLIC.findall(text))
    letters = latin + cyrillic
    return (latin / letters, cyrillic / letters) if letters else (0.0, 0.0)


# --- Word forms ------------------------------------------------------------


class WordForms:
    """Every inflected form of the lemmas of given words, as keys.

    The forms come from simplemma's dictionary of the language (form → lemma).
    Reading a dictionary takes seconds and hundreds of megabytes (Polish), so
    it is done once per set of sign words and the result kept in a small JSON
    file in ``cache_dir`` when one is given; the dictionary is then released.
    """

    def __init__(self, lang: str, words: Iterable[str], cache_dir: Path | None = None):
        self.lang = lang
        self.words = sorted({w for w in words if w})
        self.cache_dir = cache_dir
        self._forms: dict[str, frozenset[str]] | None = None

    def of(self, word: str) -> frozenset[str]:
        """The keys of every form of ``word``'s lemma, and of ``word`` itself."""
        if self._forms is None:
            self._forms = self._load()
        return self._forms.get(word, frozenset({key(word, self.lang)}))

    def _cache_file(self) -> Path | None:
        if self.cache_dir is None:
            return None
        import hashlib

        import simplemma

        digest = hashlib.sha256(
            json.dumps([simplemma.__version__, self.lang, self.words]).encode()
        ).hexdigest()[:16]
        return self.cache_dir / f"forms-{self.lang}-{digest}.json"

    def _load(self) -> dict[str, frozenset[str]]:
        cache_file = self._cache_file()
        if cache_file is not None and cache_file.exists():
            try:
                stored = json.loads(cache_file.read_text(encoding="utf-8"))
                return {w: frozenset(forms) for w, forms in stored.items()}
            except (OSError, ValueError):
                pass  # a damaged cache is rebuilt below
        forms = _forms_from_dictionary(self.lang, self.words)
        if cache_file is not None:
            try:
                cache_file.parent.mkdir(parents=True, exist_ok=True)
                cache_file.write_text(
                    json.dumps({w: sorted(f) for w, f in forms.items()}, ensure_ascii=False),
                    encoding="utf-8",
                )
            except OSError:
                pass  # a read-only disk only costs the next start-up some seconds
        return forms


def _forms_from_dictionary(lang: str, words: list[str]) -> dict[str, frozenset[str]]:
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    dictionary = DefaultDictionaryFactory().get_dictionary(lang)
    raw: dict[bytes, bytes] = dictionary._dict  # form → lemma, both UTF-8 bytes

    def lemma_of(word: str) -> bytes:
        for candidate in (word, word.lower()):
            found = raw.get(candidate.encode())
            if found is not None:
                return found
        return word.lower().encode()

    lemmas = {word: lemma_of(word) for word in words}
    wanted = set(lemmas.values())
    forms_of_lemma: dict[bytes, set[str]] = {lemma: set() for lemma in wanted}
    for form, lemma in raw.items():
        if lemma in wanted:
            forms_of_lemma[lemma].add(key(form.decode(), lang))
    for lemma in wanted:
        forms_of_lemma[lemma].add(key(lemma.decode(), lang))
    return {
        word: frozenset(forms_of_lemma[lemma] | {key(word, lang)}) for word, lemma in lemmas.items()
    }
