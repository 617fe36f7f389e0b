"""Theme file loading and compound-aware matching (etl.enrich.themes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.enrich.themes import ThemeFileError, link_units, load_themes, match_text, parse_themes
from etl.models import TextUnit


@pytest.fixture(scope="module")
def themes():
    return load_themes()


def linked(text: str, themes) -> dict[str, str]:
    return {h.theme: h.evidence for h in match_text(text, themes)}


def test_packaged_theme_file_has_the_six_default_themes_and_a_version(themes):
    assert [t.id for t in themes] == [
        "ict_incidents", "backlogs", "strafvordering", "werkdruk", "slachtofferrechten", "ict_investments"]
    assert {t.version for t in themes} == {"2026.2"}


@pytest.mark.parametrize(
    ("text", "theme", "evidence"),
    [
        ("Er waren opnieuw ICT-verstoringen op de parketten.", "ict_incidents", "ICT-verstoringen"),
        ("Na de computerstoring lag alles stil.", "ict_incidents", "computerstoring"),
        ("De parketten gingen offline.", "ict_incidents", "offline"),
        ("Alle systemen zijn weer beschikbaar.", "ict_incidents", "systemen zijn weer beschikbaar"),
        ("De omvang van de voorraadbak intake is toegenomen.", "backlogs", "voorraadbak"),
        ("De werkvoorraad groeit.", "backlogs", "werkvoorraad"),
        ("De doorlooptijden lopen op.", "backlogs", "doorlooptijden"),
        ("De achterstanden worden weggewerkt.", "backlogs", "achterstanden"),
        ("Het nieuwe Wetboek treedt later in werking.", "strafvordering", "nieuwe Wetboek"),
        ("De modernisering van strafvordering loopt.", "strafvordering", "strafvordering"),
        ("Het College legt een taakstelling op.", "ict_investments", "taakstelling"),
        ("De werkdruk blijft hoog.", "werkdruk", "werkdruk"),
        ("De slachtofferrechten zijn niet in het geding.", "slachtofferrechten", "slachtofferrechten"),
    ],
)
def test_compounds_and_inflections_link_with_the_whole_word_as_evidence(themes, text, theme, evidence):
    assert linked(text, themes).get(theme) == evidence


ALL_THEMES = {"ict_incidents", "backlogs", "strafvordering", "werkdruk", "slachtofferrechten", "ict_investments"}


@pytest.mark.parametrize(
    ("text", "must_not_link"),
    [
        # "district" and "strikt" hold letters of theme words but are no theme words: nothing links
        ("Het conflict in het district is strikt lokaal.", ALL_THEMES),
        # the criminal code is not criminal procedure
        ("Het Wetboek van Strafrecht verandert niet.", {"strafvordering"}),
        # victims named in a leak are not victims' rights (the leak itself may be an ICT incident)
        ("Er zijn gegevens van verdachten, slachtoffers of getuigen gelekt.", {"strafvordering", "slachtofferrechten"}),
    ],
)
def test_unrelated_words_do_not_link(themes, text, must_not_link):
    assert {t.id for t in themes} >= must_not_link  # every name checked is a real theme
    assert set(linked(text, themes)) & must_not_link == set()


def test_link_keeps_rule_and_offsets_of_the_first_hit(themes):
    unit = TextUnit("d:a:0", "d", "answer", ("1",), "Door de ICT-inbreuk zijn bij het OM nieuwe voorraden ontstaan.")
    links = {ln.theme: ln for ln in link_units([unit], themes)}
    ict, backlog = links["ict_incidents"], links["backlogs"]
    assert (ict.rule, ict.evidence, ict.start, ict.end) == ("stem:ict-inbreuk", "ICT-inbreuk", 8, 19)
    assert unit.text[backlog.start:backlog.end] == backlog.evidence == "voorraden"


def test_context_stem_links_only_in_a_letter_already_about_the_theme(themes):
    about = TextUnit("d:q:0", "d", "question", ("1",), "Haalt het OM de invoering van het nieuwe wetboek?")
    anaphor = TextUnit("d:a:1", "d", "answer", ("2",), "De implementatie ligt op schema.")
    elsewhere = TextUnit("e:a:0", "e", "answer", ("1",), "De implementatie ligt op schema.")
    links = {(ln.unit_id, ln.theme): ln.rule for ln in link_units([about, anaphor, elsewhere], themes)}
    assert links[("d:a:1", "strafvordering")] == "context:implementatie"
    assert ("e:a:0", "strafvordering") not in links


def test_an_analyst_theme_file_adds_a_theme_without_code(tmp_path: Path):
    path = tmp_path / "mine.toml"
    path.write_text(
        'version = "local-1"\n[[theme]]\nid = "tolken"\nlabel = "Tolken"\nscope = "general"\nstems = ["tolk"]\n'
        'phrases = ["beëdigde vertalers"]\n', encoding="utf-8")
    mine = load_themes(path)
    assert [(t.id, t.version, t.source) for t in mine] == [("tolken", "local-1", str(path))]
    assert linked("Er zijn te weinig gerechtstolken en beëdigde vertalers.", mine) == {"tolken": "gerechtstolken"}


@pytest.mark.parametrize(
    ("pattern", "word"),
    [
        (r"problemen\s+met\s+de\s+ict", "problemen"),
        (r"(slecht|gebrekkig)\s+functionerende\s+(ict|systemen)", "functionerende"),  # groups skipped
        (r"\bzaken\b[^.?!]{0,80}\bvertraging", "vertraging"),  # classes skipped
        (r"\bherstel\w*\s+van", "herstel"),
        (r"achterstand(en)?", "achterstand"),
        (r"achterstanden?", "achterstande"),  # the optional letter is not required
        (r"ict|informatievoorziening", None),  # an alternation at the top: nothing is required
        (r"ab?c", None),  # no run of three letters
        (r"(?x) achter stand  # a comment", None),  # verbose: spaces and comments are not text
    ],
)
def test_a_pattern_names_the_word_every_match_contains(pattern, word):
    from etl.enrich.text import required_word

    assert required_word(pattern) == word


def test_a_pattern_rule_still_matches_where_lower_case_hides_its_word(tmp_path: Path):
    """A theme pattern is skipped on texts without its required word (lower-cased), unless the
    text holds a character that IGNORECASE reads as a letter lower() keeps apart ("ſ" for "s")."""
    path = tmp_path / "mine.toml"
    path.write_text(
        'version = "local-1"\n[[theme]]\nid = "storing"\nlabel = "Storing"\nscope = "general"\n'
        "patterns = ['\\bsystemen\\b[^.?!]{0,30}\\boffline']\n", encoding="utf-8")
    mine = load_themes(path)
    assert linked("De systemen waren urenlang offline.", mine) == {"storing": "systemen waren urenlang offline"}
    assert linked("De SYSTEMEN waren urenlang OFFLINE.", mine) == {"storing": "SYSTEMEN waren urenlang OFFLINE"}
    assert linked("De ſystemen waren urenlang offline.", mine) == {"storing": "ſystemen waren urenlang offline"}
    assert linked("De servers waren urenlang offline.", mine) == {}


def test_a_phrase_rule_matches_as_its_regex_does_where_lower_case_hides_its_first_word(tmp_path: Path):
    """A phrase is tried only where its first word starts in the lower-cased text; a text whose
    lower-case copy hides letters (an "ſ") gets the regex's own scan instead."""
    path = tmp_path / "mine.toml"
    path.write_text(
        'version = "local-1"\n[[theme]]\nid = "keten"\nlabel = "Keten"\nscope = "general"\n'
        'phrases = ["strafrecht keten"]\n', encoding="utf-8")
    mine = load_themes(path)
    assert linked("De strafrecht keten hapert.", mine) == {"keten": "strafrecht keten"}
    assert linked("De ſtrafrecht keten hapert.", mine) == {"keten": "ſtrafrecht keten"}
    assert linked("De strafzaken keten hapert.", mine) == {}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[[theme]]\nid = 'x'\nstems = ['a']\n", "'version'"),
        ("version = '1'\n", "no [[theme]]"),
        ("version = '1'\n[[theme]]\nid = 'Bad Id'\nstems = ['a']\n", "lower_snake_case"),
        ("version = '1'\n[[theme]]\nid = 'x'\nscope = 'general'\n", "no rules"),
        ("version = '1'\n[[theme]]\nid = 'x'\npatterns = ['(']\n", "not a valid regex"),
        ("version = '1'\n[[theme]]\nid = 'x'\nstems = 'a'\n", "'stems' must be a list"),
        ("version = '1'\n[[theme]]\nid = 'x'\nscope = 'general'\nstems = ['a']\n[[theme]]\nid = 'x'\nstems = ['b']\n", "duplicate id"),
        ("version = '1'\n[[theme]]\nid = 'x'\nstems = ['a']\n", "'scope' must be"),
        ("version = '1'\n[[theme]]\nid = 'x'\nscope = 'om'\nstems = ['a']\n", "'scope' must be"),
        ("version = '1'\n[[theme]]\nid = 'x'\nscope = 'general'\n[theme.supported]\nstems = ['a']\n", "need a scope"),
        ("version = '1'\n[scopes.om]\nlabel = 'OM'\n[[theme]]\nid = 'x'\nscope = 'om'\nstems = ['a']\n", "no names"),
        ("version = = '1'", "not valid TOML"),
        ("version = '1'\n[scopes.om]\nacronyms = ['OM']\n[[theme]]\nid = 'x'\nscope = 'om'\nacronyms = ['IV']\n",
         "short token(s) 'IV' only count with support"),
    ],
)
def test_bad_theme_file_gives_an_error_naming_the_file_and_problem(toml, message):
    with pytest.raises(ThemeFileError) as info:
        parse_themes(toml, "themes-under-test.toml")
    assert "themes-under-test.toml" in str(info.value) and message in str(info.value)


def test_missing_theme_file_names_the_path(tmp_path: Path):
    with pytest.raises(ThemeFileError, match="nope.toml: cannot read theme file"):
        load_themes(tmp_path / "nope.toml")
