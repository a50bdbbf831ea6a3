"""Documentation generated from the code's own tables, so it cannot drift from them.

``docs/rules.md`` is written by ``newscorpus build`` from the rule registry (in a corpus
repository that lists it in ``newscorpus.toml``) and compared by ``newscorpus build --check``.
"""

from __future__ import annotations

from newscorpus.owned import markdown_marker
from newscorpus.rules import RULES

RULES_DOC = "docs/rules.md"

_GROUPS = {
    "NC-SEED": "Seeds",
    "NC-SIDE": "Sidecars",
    "NC-REC": "Records",
    "NC-JSON": "JSON lines",
    "NC-MAN": "Manifest",
    "NC-REL": "Releases",
}


def rules_markdown() -> str:
    """The rule catalogue: every code, what it requires, how to fix it, and two examples."""
    out = [
        markdown_marker("the rule catalogue, src/newscorpus/rules.py,"),
        "",
        "# Validation rules",
        "",
        "`newscorpus validate` and `newscorpus build` report problems under these codes. Codes",
        "never change meaning and are never reused. Select or skip them with `--select` and",
        "`--ignore` (codes, names or tags); `newscorpus validate --list-rules` prints this list.",
        "",
        "| code | name | tags | rule |",
        "| --- | --- | --- | --- |",
    ]
    out += [
        f"| [{r.code}](#{r.code.lower()}) | {r.name} | {', '.join(r.tags)} | {r.summary} |"
        for r in RULES.values()
    ]
    group = None
    for rule in RULES.values():
        prefix = rule.code.rsplit("-", 1)[0]
        if prefix != group:
            group = prefix
            out += ["", f"## {_GROUPS.get(prefix, prefix)}"]
        out += [
            "",
            f"### {rule.code}",
            "",
            f"**{rule.name}**: {rule.summary}",
            "",
            f"- Fails: {rule.fail_example}",
            f"- Passes: {rule.pass_example}",
            f"- Fix: {rule.hint}",
        ]
    return "\n".join(out) + "\n"
