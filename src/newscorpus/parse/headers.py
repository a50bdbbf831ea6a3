"""Recognising the header lines of a seed: the source line and the byline.

Both are judged on one line of text; ``layout`` decides where in a seed they may stand and
whether the header context allows a relaxed byline test. The strict test is what a body line
must pass, because a wrong "yes" there eats a paragraph ("By Tuesday, the troops had left.");
the relaxed test accepts unusual names ("By bell hooks") only where the layout already shows
a header continuing after the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_HEADER_CHARS = 300
MAX_PUBLISHER_WORDS = 12

# "The article originally appeared in X", "This story was first published by X", and without
# the subject, "Originally published in X" or "First appeared on X".
_SOURCE = re.compile(
    r"^(?P<subject>(?:the|this)\s+(?:article|story|piece|report)\s+(?:was\s+|has\s+been\s+)?)?"
    r"(?:originally|first)\s+(?:appeared|published|ran)\s+(?:in|on|at|by)\s+"
    r"(?P<publisher>\S.*?)\s*$",
    re.IGNORECASE,
)
# A date where an outlet would stand: "March 3, 2024", "3 March 2024", "2024-03-03".
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DATE = re.compile(
    rf"(?:{_MONTH}\s+\d|\d{{1,2}}\s+{_MONTH}(?:\s|,|$)|\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d)",
    re.IGNORECASE,
)
# Lowercase words an outlet's name may hold ("The Mail on Sunday", "Corriere della Sera").
_NAME_WORDS = frozenset("the of on and for in at & a an".split())
_BYLINE = re.compile(r"^(?:By|BY|by)\s+(?P<names>\S.*?)\s*$")
_AFFILIATION = re.compile(r"\s+(?:[|•·—–]|-{1,2})\s+.*$")
_CONTACT = re.compile(r"(?:\s*\([^()]*\)|,?\s+@\w+|,?\s+\S+@\S+\.\w+)+$")
# ", and", ", &", ",", " and ", " & " between names; the serial comma is optional.
_NAME_SEPARATOR = re.compile(r"\s*,\s*(?:(?:and|AND)\s+|&\s*)?|\s+(?:and|AND|&)\s+")
# Lowercase words that belong inside personal names in many languages, and in agency credits.
_PARTICLES = frozenset(
    "à aan al bin bint binti d da das de del della den der des di do dos du e el het ibn la le "
    "lo op st 't te ten ter van von wa y zu staff correspondent correspondents reporter "
    "reporters writer writers editors contributors".split()
)
# Name suffixes printed after a comma: "Martin Luther King, Jr." is one name, not two.
_SUFFIXES = frozenset("Jr. Jr Sr. Sr II III IV PhD Ph.D. MD M.D. Esq. Esq".split())
# A byline names people or agencies, never a day or month ("By Tuesday, ...", "By March").
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december noon midnight".split()
)
# Words of a sentence, never of a name: the relaxed test refuses any line holding one.
_SENTENCE_WORDS = frozenset(
    "the a an of to in on at for from with had has have was were is are be been will would "
    "could should it its this that these those which who when after before then than now "
    "time end way their his her our they we he she i you there here not no yes".split()
)
# Abbreviations whose final period belongs to the name, not to the sentence.
_ABBREVIATIONS = frozenset(
    "Inc. Co. Corp. Ltd. Bros. Jr. Sr. Ph.D. S.A. Esq. Intl. Cie. St. Ste. Mt. Ft. Dr. Mr. Mrs. "
    "Ms. Prof. Gen. Gov. Sen. Rep. Univ. Dept. Assn. Ave. No.".split()
)
# A date after the outlet's name: "… appeared in The New York Times on Dec. 1, 2022." The
# source line keeps it in ``dropped_lines``; the publisher is the name. (A date is never taken
# for ``published``: that comes from the sidecar.)
_ON_DATE = re.compile(
    r"\s+on\s+(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)[a-z]*\.?,?\s+)?"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})\.?$"
)
_APOSTROPHES = "'’"
# Initials and dotted acronyms ("J.", "U.S."): Latin, Greek or Cyrillic letters only, since a
# one-character Chinese or Japanese name followed by a period is a name, not an initial.
_INITIALS = re.compile(r"(?:[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]\.){1,4}")


@dataclass(frozen=True, slots=True)
class Byline:
    """A byline as printed, and the names it lists in printed order."""

    printed: str
    authors: tuple[str, ...]


def strip_final_period(value: str) -> str:
    """Drop one sentence period, but keep the period of a final abbreviation or initial."""
    if value.endswith("..") or (value.endswith(".") and not _ends_with_abbreviation(value)):
        return value[:-1].rstrip()
    return value


def _ends_with_abbreviation(value: str) -> bool:
    last = value.rsplit(None, 1)[-1]
    if last in _ABBREVIATIONS:
        return True
    # An initial ("J.") or dotted acronym ("U.S.", "A.P."): letters each followed by a period.
    return _INITIALS.fullmatch(last) is not None


def _has_sentence_break(value: str) -> bool:
    """True for "Futurism. Read the original article": a period inside, after a non-initial."""
    for match in re.finditer(r"(\S+)\.\s+\S", value):
        if not _ends_with_abbreviation(match.group(1) + "."):
            return True
    return False


def match_source(line: str, closing: bool = False) -> str | None:
    """Return the publisher named by a "The article originally appeared in X" line, or None.

    ``closing`` is for a line at the end of the body, where "This story first appeared in
    print." is as likely as an outlet: there the name must start with a capital (or a letter
    of a script without case). At the head of a seed, names as written in the real seeds pass
    too ("detroitnews", "9to5Mac", "pv magazine International")."""
    if len(line) > MAX_HEADER_CHARS:
        return None
    match = _SOURCE.match(line.strip())
    if not match:
        return None
    publisher = strip_final_period(_ON_DATE.sub("", match.group("publisher")))
    if not publisher or _has_sentence_break(publisher) or _DATE.match(publisher):
        return None  # "... first published on March 3, 2024"
    if len(publisher.split()) > MAX_PUBLISHER_WORDS:
        return None
    if match.group("subject") is None and not all(map(_name_word, publisher.split())):
        # Without "The article", the line could open a paragraph: "Originally published in
        # German, the novel sold well." Only a name in title case makes it a source line.
        return None
    if closing and not _capitalised(publisher):
        return None
    return publisher


def _small_word(token: str) -> bool:
    return token.lower() in _NAME_WORDS or token.lower().lstrip(_APOSTROPHES) in _PARTICLES


def _name_word(token: str) -> bool:
    """A word that may stand in an outlet's name: capitalised, uncased (人民日报), a particle
    or a small word."""
    return not token[0].islower() or _small_word(token)


def _capitalised(name: str) -> bool:
    """Whether the first word that is not a small word starts with a capital or an uncased
    letter: "The Hindu", "el País", "人民日报"; not "print" or "our website"."""
    for token in name.split():
        if not _small_word(token):
            return token[0].isalpha() and not token[0].islower()
    return False


def _is_particle(token: str) -> bool:
    bare = token.lstrip(_APOSTROPHES).lower()
    if token.lower() in _PARTICLES or bare in _PARTICLES:
        return True
    # "al-Hassan", "d'Souza", "O'Neil": judge the part before the hyphen or apostrophe.
    head = re.split(r"[-'’]", bare, maxsplit=1)[0]
    return head in _PARTICLES


def _is_name(name: str, relaxed: bool) -> bool:
    tokens = name.split()
    if not 1 <= len(tokens) <= 7:
        return False
    if len(tokens) == 1 and tokens[0].lower().strip(".") in _NOT_NAMES:
        return False
    if any(c.isdigit() for c in name) or ":" in name:
        return False  # "By The Numbers: …", "By Design: …" are headlines, not names
    for token in tokens:
        letters = [c for c in token if c.isalpha()]
        if not letters:
            return False
        if relaxed:
            if token.lower().strip(".,") in _SENTENCE_WORDS:
                return False
            continue
        if letters[0].islower() and not _is_particle(token):
            return False
    return True


def is_plain_name(name: str) -> bool:
    """Whether a name passes the strict test (capitalised words and known particles)."""
    return _is_name(name, relaxed=False)


def _split_names(names_text: str) -> list[str]:
    names: list[str] = []
    for name in (n.strip() for n in _NAME_SEPARATOR.split(names_text)):
        if names and name in _SUFFIXES:
            names[-1] = f"{names[-1]}, {name}"
        else:
            names.append(name)
    return names


def _without_affiliation(names: str) -> str:
    """The names of a byline without what follows them and is not a name: an outlet or role
    after a bar or a spaced dash ("John Smith | Reuters", "Ann Lee — Staff Writer"), anything in
    parentheses at the end ("(Reuters)", "(jsmith@example.com)"), an address or handle at the
    end ("@jsmith"). The byline keeps them as printed; the authors are the names."""
    return _CONTACT.sub("", _AFFILIATION.sub("", names)).strip()


# The last word of a role or a credit line, not of a name: after the names of a byline it
# describes the people named ("Associated Press Writer", "Staff Reporter", "Bureau Chief").
_ROLE_WORDS = frozenset(
    "writer reporter correspondent editor staff contributor columnist producer photographer "
    "intern journalist analyst chief".split()
)


def _is_role(name: str) -> bool:
    """Whether the last name of a byline is a role or an affiliation ("Staff Writer", "For The
    Washington Post", "Special to The Times"), which describes the names before it."""
    lowered = name.lower()
    if lowered.startswith(("for ", "special to ")):
        return True
    # the role's noun comes last ("Senior Correspondent", "Reuters Staff")
    words = lowered.split()
    return bool(words) and words[-1].strip(".").removesuffix("s") in _ROLE_WORDS


def match_byline(line: str, relaxed: bool = False) -> Byline | None:
    """Return the byline if ``line`` is "By A", "By A and B", "By A, B and C", ... else None.

    ``relaxed`` accepts names in lowercase or with particles we do not know ("By bell hooks",
    "By Ngũgĩ wa Thiong'o") as long as no word of a sentence appears in the line; the layout
    asks for it only where the header visibly goes on after the line.
    """
    if len(line) > MAX_HEADER_CHARS:
        return None
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    names = _split_names(_without_affiliation(strip_final_period(match.group("names"))))
    while len(names) > 1 and _is_role(names[-1]):
        names.pop()  # "By Ann Lee, Staff Writer": the byline keeps it, the authors do not
    if not names or not all(n and _is_name(n, relaxed) for n in names):
        return None
    return Byline(printed=line.strip(), authors=tuple(names))
