"""The parser on composed articles in every layout variant, and on its edge cases."""

from __future__ import annotations

import pytest

from articles import ARTICLES, CASES, VARIANTS, Article, Variant, render
from newscorpus.decode import decode_seed
from newscorpus.normalise import normalise_text
from newscorpus.parse import parse_layout
from newscorpus.parse.headers import match_byline, match_source
from newscorpus.problems import SeedError


def _parse(data: bytes):
    text, _ = decode_seed(data)
    return parse_layout(text)


@pytest.mark.parametrize(("a", "v"), CASES, ids=[f"article{a}-variant{v}" for a, v in CASES])
def test_every_article_in_every_variant(a: int, v: int) -> None:
    article, variant = ARTICLES[a], VARIANTS[v]
    layout = _parse(render(article, variant))
    assert normalise_text(layout.title) == article.title
    expected_publisher = article.publisher if variant.source else None
    assert layout.publisher == expected_publisher
    assert layout.authors == article.authors
    assert [normalise_text(p) for p in layout.paragraphs] == list(article.paragraphs)


def test_dropped_lines_account_for_every_header_line() -> None:
    layout = _parse(render(ARTICLES[0], Variant()))
    assert [(d.line, d.reason) for d in layout.dropped] == [
        (1, "title"),
        (3, "publisher"),
        (5, "byline"),
        (7, "repeated-title"),
    ]
    assert layout.dropped[1].text == "The article originally appeared in The Maritime Courier"


def test_body_paragraph_starting_with_by_is_body() -> None:
    layout = _parse(b"Headline here\n\nBy Tuesday, the troops had left the city.\n\nMore.\n")
    assert layout.authors == ()
    assert layout.paragraphs[0] == "By Tuesday, the troops had left the city."


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Jane Doe", ("Jane Doe",)),
        ("By Jane Doe and John Roe", ("Jane Doe", "John Roe")),
        ("By Jane Doe & John Roe", ("Jane Doe", "John Roe")),
        ("By A Ray, Bo Chen and Cy Twombly", ("A Ray", "Bo Chen", "Cy Twombly")),
        ("By A Ray, Bo Chen, and Cy Twombly", ("A Ray", "Bo Chen", "Cy Twombly")),
        ("By Ludwig van Beethoven", ("Ludwig van Beethoven",)),
        ("BY MARIA DA SILVA", ("MARIA DA SILVA",)),
        ("By J. R. Smith Jr.", ("J. R. Smith Jr.",)),
        ("By Jane Doe.", ("Jane Doe",)),
    ],
)
def test_bylines(line: str, authors: tuple[str, ...]) -> None:
    byline = match_byline(line)
    assert byline is not None and byline.authors == authors


@pytest.mark.parametrize(
    "line",
    [
        "By Tuesday, the troops had left.",
        "By the time police arrived, the crowd had gone.",
        "By 2030, demand will double.",
        "By March",
        "By and large, the plan worked.",
        "Byron Smith said so",
    ],
)
def test_not_bylines(line: str) -> None:
    assert match_byline(line) is None


@pytest.mark.parametrize(
    ("line", "publisher"),
    [
        ("The article originally appeared in The Economic Times", "The Economic Times"),
        ("This article originally appeared in The Hindu.", "The Hindu"),
        ("This article originally appeared in Acme Media Inc.", "Acme Media Inc."),
        ("This article originally appeared in Acme Media Inc..", "Acme Media Inc."),
        ("the article originally appeared in the U.S.", "the U.S."),
        # a date after the outlet is not part of its name; "St." is no sentence end
        (
            "The article originally appeared in The New York Times on Dec. 1, 2022.",
            "The New York Times",
        ),
        ("The article originally appeared in Le Monde on 3 March 2021", "Le Monde"),
        ("The article originally appeared in Reuters on 2021-03-03.", "Reuters"),
        ("The article originally appeared in St. Louis Post-Dispatch", "St. Louis Post-Dispatch"),
        ("The article originally appeared in The Mail on Sunday", "The Mail on Sunday"),
        # at the head of a seed, names as the real seeds write them
        ("The article originally appeared in detroitnews", "detroitnews"),
        ("The article originally appeared in 9to5Mac", "9to5Mac"),
        ("The article originally appeared in 人民日报", "人民日报"),
        ("This story was first published by ProPublica.", "ProPublica"),
        ("This article has been originally published in Wired", "Wired"),
        # without the subject, a name in title case
        ("Originally published in The Guardian", "The Guardian"),
        ("First published in the Mail on Sunday.", "the Mail on Sunday"),
        ("Originally appeared on Corriere della Sera", "Corriere della Sera"),
        ("ORIGINALLY PUBLISHED IN THE GUARDIAN", "THE GUARDIAN"),
    ],
)
def test_source_lines(line: str, publisher: str) -> None:
    assert match_source(line) == publisher


def test_a_closing_source_line_names_the_publisher() -> None:
    """Some contributors paste the source line under the article instead of above it."""
    layout = _parse(b"Headline\n\nBody one.\n\nThis article originally appeared in The Hindu.\n")
    assert layout.publisher == "The Hindu"
    assert layout.paragraphs == ("Body one.",)
    assert [(d.line, d.reason) for d in layout.dropped] == [(1, "title"), (5, "publisher")]


def test_a_closing_source_line_repeats_the_header() -> None:
    seed = b"Headline\nThe article originally appeared in The Hindu\n\nBody.\n\n"
    layout = _parse(seed + b"The article originally appeared in the Hindu.\n")
    assert layout.publisher == "The Hindu" and layout.paragraphs == ("Body.",)
    assert layout.dropped[-1].reason == "repeated-publisher"


@pytest.mark.parametrize(
    "seed",
    [
        # another outlet than the header's: a statement of the article's
        b"Headline\nThe article originally appeared in The Hindu\n\nBody.\n\n"
        b"This article originally appeared in The Mint.\n",
        # not a paragraph of its own
        b"Headline\n\nBody one.\n\nBody two.\nThis article originally appeared in The Hindu.\n",
        # not the last paragraph
        b"Headline\n\nOne.\n\nTwo.\n\nThis article originally appeared in The Hindu.\n\nMore.\n",
        # a sentence after it
        b"Headline\n\nBody one.\n\nThis article originally appeared in The Hindu. Read it.\n",
        # no outlet: at the end, a name must start with a capital
        b"Headline\n\nOne.\n\nTwo.\n\nThis story first appeared in print.\n",
        b"Headline\n\nOne.\n\nTwo.\n\nThis article originally appeared on our website.\n",
    ],
)
def test_other_closing_lines_stay_body(seed: bytes) -> None:
    layout = _parse(seed)
    assert any("appeared" in p for p in layout.paragraphs)


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By bell hooks", ("bell hooks",)),
        ("By Ngũgĩ wa Thiong'o & bell hooks", ("Ngũgĩ wa Thiong'o", "bell hooks")),
        ("By Jan van 't Hof and Kees op den Akker", ("Jan van 't Hof", "Kees op den Akker")),
    ],
)
def test_unusual_names_are_bylines_inside_the_header(line: str, authors: tuple) -> None:
    layout = _parse(f"Title\n\n{line}\n\nTitle\n\nBody.\n".encode())
    assert layout.authors == authors
    assert layout.paragraphs == ("Body.",)


def test_relaxed_byline_needs_the_header_to_go_on() -> None:
    layout = _parse(b"Title\n\nBy bell hooks\n\nBody.\n")
    assert layout.authors == ()
    assert layout.paragraphs == ("By bell hooks", "Body.")


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Martin Luther King, Jr.", ("Martin Luther King, Jr.",)),
        ("By Reuters staff", ("Reuters staff",)),
        ("By Thomas à Kempis and Sinéad O’Connor", ("Thomas à Kempis", "Sinéad O’Connor")),
    ],
)
def test_more_bylines(line: str, authors: tuple) -> None:
    byline = match_byline(line)
    assert byline is not None and byline.authors == authors


@pytest.mark.parametrize(
    "title",
    [
        "Home Depot Stock Is Falling After Its Earnings Release. Why You Shouldn’t Worry.",
        "商品の改造が商標法違反に！？",
        "Só quem se Ama...",
    ],
)
def test_late_titles_of_any_shape(title: str) -> None:
    seed = f"The article originally appeared in X\n\nBy Ann Lee\n\n{title}\n\nBody text.\n"
    layout = _parse(seed.encode())
    assert layout.title == title
    assert layout.paragraphs == ("Body text.",)


@pytest.mark.parametrize(
    "line",
    [
        "Originally published in German, the novel sold a million copies.",
        "First published in 1851, the paper turns 175",
        "First published in paperback",
        "Originally ran on weekdays",
        # a second sentence after the outlet
        "This article was originally published by Futurism. Read the original article.",
        # a date where the outlet would stand
        "This story was first published on March 3, 2024.",
        "This article was originally published on 3 March 2024",
        "The article originally appeared on 2024-03-03",
    ],
)
def test_sentences_that_open_like_a_source_line_are_not_one(line: str) -> None:
    assert match_source(line) is None


def test_a_source_line_without_its_subject_is_a_header_line() -> None:
    layout = _parse(b"Headline\n\nOriginally published in The Guardian\n\nBy Ann Lee\n\nBody.\n")
    assert (layout.publisher, layout.authors, layout.paragraphs) == (
        "The Guardian",
        ("Ann Lee",),
        ("Body.",),
    )


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By John Smith | Reuters", ("John Smith",)),
        ("By Ann Lee — Staff Writer", ("Ann Lee",)),
        ("By John Smith - The Times", ("John Smith",)),
        ("By Ann Lee and Bo Chen (AP)", ("Ann Lee", "Bo Chen")),
        ("By Dahlia Bazzaz (dbazzaz@seattletimes.com)", ("Dahlia Bazzaz",)),
        ("By John Smith, jsmith@example.com", ("John Smith",)),
        ("By John Smith @jsmith", ("John Smith",)),
        ("By Paul Davidson | Updated Dec. 13, 2023", ("Paul Davidson",)),
        ("By Tom Jones, Staff Writer", ("Tom Jones",)),
        ("By ANN LEE, Associated Press Writer", ("ANN LEE",)),
        ("By Ann Lee and Bo Chen, Senior Correspondents", ("Ann Lee", "Bo Chen")),
        ("By Ann Lee, For The Washington Post", ("Ann Lee",)),
        ("By Ann Lee, Special to The Times", ("Ann Lee",)),
        ("By Ann Lee and Reuters Staff", ("Ann Lee",)),
        # a role alone is the whole credit, and a name is kept whatever it ends with
        ("By Staff Writer", ("Staff Writer",)),
        ("By Ann Lee, Bo Chen and Cy Dee", ("Ann Lee", "Bo Chen", "Cy Dee")),
    ],
)
def test_what_follows_the_names_is_not_an_author(line: str, authors: tuple) -> None:
    byline = match_byline(line)
    assert byline is not None and byline.authors == authors
    assert byline.printed == line  # the byline itself stays as printed


def test_a_byline_ending_in_a_comma_is_not_read_as_one() -> None:
    assert match_byline("By Isaac Butler,") is None


def test_a_standfirst_between_title_and_byline_stays_body() -> None:
    for seed in (
        b"Budget passes\nA late-night vote ends months of talks\n\nBy Ann Lee\n\nIt voted.\n",
        b"Budget passes\n\nA late-night vote ends months of talks\n\nBy Ann Lee\n\nIt voted.\n",
    ):
        layout = _parse(seed)
        assert layout.authors == ("Ann Lee",)
        assert layout.paragraphs[0] == "A late-night vote ends months of talks"
        assert [d.reason for d in layout.dropped] == ["title", "byline"]


def test_a_standfirst_needs_a_strict_byline_after_it() -> None:
    layout = _parse(b"Budget passes\n\nIt was late.\n\nBy Tuesday, the troops had left.\n")
    assert layout.authors == ()
    assert layout.paragraphs == ("It was late.", "By Tuesday, the troops had left.")


@pytest.mark.parametrize(
    "seed",
    [
        b"Headline\n\nBy Ann Lee\nBy Bo Chen\n\nBody.\n",
        b"Headline\n\nBy Ann Lee\nBy Bo Chen and Ann Lee\n\nBody.\n",
    ],
)
def test_a_byline_on_two_lines_lists_every_author(seed: bytes) -> None:
    layout = _parse(seed)
    assert layout.byline == "By Ann Lee" and layout.authors == ("Ann Lee", "Bo Chen")
    assert layout.paragraphs == ("Body.",)
    assert [d.reason for d in layout.dropped] == ["title", "byline", "byline"]


@pytest.mark.parametrize(
    ("seed", "first"),
    [
        (b"Headline\n\nBy Ann Lee\n\nBody.\n\nBy Bo Chen\n\nMore.\n", "Body."),
        # a standfirst in title case after the byline, not a second byline
        (b"Headline\n\nBy Ann Lee\n\nBy Sunday Evening, Talks Had Stalled\n\nMore.\n", "By "),
    ],
)
def test_a_second_by_line_apart_from_the_byline_is_body(seed: bytes, first: str) -> None:
    layout = _parse(seed)
    assert layout.authors == ("Ann Lee",)
    assert layout.paragraphs[0].startswith(first) and len(layout.paragraphs) >= 2


def test_a_line_of_zero_width_spaces_is_blank() -> None:
    """A web page's "empty" paragraph, copied: it separates paragraphs like a blank line."""
    layout = _parse("Headline\n\u200b\nBy Ann Lee\n\nOne.\n \u200b \u200d\nTwo.\n".encode())
    assert layout.title == "Headline" and layout.authors == ("Ann Lee",)
    assert layout.paragraphs == ("One.", "Two.")
    # however long the line
    long_blank = "\u200b \u2060" * 20
    assert _parse(f"Headline\n\nOne.\n{long_blank}\nTwo.\n".encode()).paragraphs == ("One.", "Two.")
    # a zero-width space beside words is text, kept as written
    assert _parse("Headline\n\n\u200bOne.\n".encode()).paragraphs == ("\u200bOne.",)


def test_title_after_header_lines() -> None:
    layout = _parse(
        b"The article originally appeared in Foo\n\nBy Ann Lee\n\nA Headline\n\nBody here.\n"
    )
    assert layout.title == "A Headline"
    assert layout.paragraphs == ("Body here.",)


def test_repeated_title_may_differ_in_case_and_spacing() -> None:
    layout = _parse(b"Big  News\n\nBIG NEWS\n\nBody.\n")
    assert [d.reason for d in layout.dropped] == ["title", "repeated-title"]


def test_one_paragraph_per_line_without_blank_lines() -> None:
    long_a = "Alpha " * 40
    long_b = "Beta " * 35
    layout = _parse(f"Headline\n{long_a}\n{long_b}\n".encode())
    assert layout.title == "Headline"
    assert len(layout.paragraphs) == 2


def test_hard_wrapped_paragraph_with_a_short_paragraph_after_it_in_one_block() -> None:
    import textwrap

    wrapped = textwrap.fill("word " * 50, 60)
    layout = _parse(f"Headline\n\n{wrapped}\nShort closing line.\n".encode())
    assert len(layout.paragraphs) == 2
    assert layout.paragraphs[1] == "Short closing line."


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"Only a title\n", "NC-SEED-008"),
        (b"Only a title\n\nBy Jane Doe\n", "NC-SEED-008"),
        (b"By Jane Doe\n\nThe body is a sentence.\n", "NC-SEED-007"),
        (b"\n\n   \n", "NC-SEED-003"),
    ],
)
def test_seeds_that_are_not_articles(data: bytes, code: str) -> None:
    with pytest.raises(SeedError) as raised:
        _parse(data)
    assert raised.value.code == code


def test_article_dataclass_round_trip_is_exact_for_first_article() -> None:
    article = Article("T", "P", ("A B",), ("One.", "Two."))
    layout = _parse(render(article, Variant()))
    assert (layout.title, layout.publisher, layout.authors) == ("T", "P", ("A B",))


def test_title_starting_with_by_is_the_title() -> None:
    seed = b"By Any Means Necessary\n\nThe article originally appeared in X\n\nBy Ann Lee\n\nB.\n"
    layout = _parse(seed)
    assert layout.title == "By Any Means Necessary"
    assert layout.authors == ("Ann Lee",)


def test_lowercase_name_beside_ordinary_names_is_a_byline() -> None:
    layout = _parse(b"Title\n\nBy Ann Lee and bell hooks\n\nBody text here.\n")
    assert layout.authors == ("Ann Lee", "bell hooks")
    alone = _parse(b"Title\n\nBy the river and the sea\n\nBody text here.\n")
    assert alone.authors == () and alone.paragraphs[0] == "By the river and the sea"


def test_compact_header_starting_with_the_source_line() -> None:
    layout = _parse(
        b"The article originally appeared in Reuters\nBy Ann Lee\nFloods hit Kerala\n\n"
        b"Rain fell for a week.\n"
    )
    assert (layout.publisher, layout.authors, layout.title) == (
        "Reuters",
        ("Ann Lee",),
        "Floods hit Kerala",
    )
    assert layout.paragraphs == ("Rain fell for a week.",)


def test_title_and_its_repeat_without_a_blank_line() -> None:
    layout = _parse(b"Floods hit Kerala\nFloods hit Kerala\n\nRain fell for a week.\n")
    assert layout.title == "Floods hit Kerala"
    assert layout.paragraphs == ("Rain fell for a week.",)
    assert [d.reason for d in layout.dropped] == ["title", "repeated-title"]


def test_one_character_cjk_name_keeps_no_period() -> None:
    byline = match_byline("By 小林 恵.")
    assert byline is not None and byline.authors == ("小林 恵",)


@pytest.mark.parametrize(
    "title",
    ["By Design, Not Accident: Inside Apple's Chip Strategy", "By The Numbers: Grain Exports"],
)
def test_a_headline_starting_with_by_and_a_colon_is_the_title(title: str) -> None:
    """With no other header line to tell them apart, a colon marks a headline: no name has
    one. The first paragraph stays in the body."""
    layout = parse_layout(f"{title}\n\nFirst paragraph of the body.\n\nSecond one.\n")
    assert layout.title == title and layout.byline is None
    assert layout.paragraphs == ("First paragraph of the body.", "Second one.")


def test_repeated_title_may_differ_in_quotes_and_dashes() -> None:
    seed = (
        "Biden's plan - what it means\n\nThe article originally appeared in X\n\nBy Ann Lee\n\n"
        "Biden’s plan – what it means\n\nThe body.\n"
    )
    layout = parse_layout(seed)
    assert layout.title == "Biden's plan - what it means"
    assert layout.paragraphs == ("The body.",)
    assert [d.reason for d in layout.dropped][-1] == "repeated-title"


def test_a_title_as_wide_as_the_wrapped_body_is_one_line() -> None:
    """No blank line anywhere, and a title nearly the body's wrap width: the title looked
    "full" and took the whole article; the first line alone is the title."""
    seed = (
        "FAA orders emergency grounding of Boeing 737 Max 9 jets after blowout\n"
        "The Federal Aviation Administration grounded all Boeing 737 Max 9 jets\n"
        "operated by U.S. airlines on Saturday, a day after a panel blew out of\n"
        "an Alaska Airlines plane shortly after takeoff from Portland, Oregon.\n"
    )
    layout = parse_layout(seed)
    assert layout.title == "FAA orders emergency grounding of Boeing 737 Max 9 jets after blowout"
    assert len(layout.paragraphs) == 1 and layout.paragraphs[0].startswith("The Federal")


def test_list_items_are_paragraphs_of_their_own() -> None:
    seed = (
        "Tax rules\n\nBy Ann Lee\n\nThe IRS released new figures. Here is what changes:\n"
        "1. The standard deduction rises.\n2. Tax brackets widen.\n\n"
        "The law includes:\n• $270 billion in tax credits\n• A fee on methane leaks\n\n"
        "Die Frist endet am\n3. Oktober, teilte das Amt mit.\n"
    )
    assert parse_layout(seed).paragraphs == (
        "The IRS released new figures. Here is what changes:",
        "1. The standard deduction rises.",
        "2. Tax brackets widen.",
        "The law includes:",
        "• $270 billion in tax credits",
        "• A fee on methane leaks",
        "Die Frist endet am 3. Oktober, teilte das Amt mit.",  # a date, not a list
    )
