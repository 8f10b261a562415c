from core.diff import changes, html_to_text, word_diff


def test_word_diff_marks_only_the_words_that_changed():
    inline, before, after = word_diff("Caseloads were too high.", "Caseloads were far too high!")

    assert inline == "Caseloads were <ins>far </ins>too high<del>.</del><ins>!</ins>"
    assert before == "Caseloads were too high<del>.</del>"
    assert after == "Caseloads were <ins>far </ins>too high<ins>!</ins>"


def test_word_diff_escapes_everything_it_shows():
    diff, _before, _after = word_diff("<b>old</b>", "<script>alert(1)</script>")

    assert "<script>" not in diff and "<b>" not in diff
    assert diff.startswith("&lt;<del>b</del><ins>script</ins>&gt;")


def test_html_is_compared_as_the_text_a_reader_sees():
    text = html_to_text(
        '<h2>Findings</h2><p>Too <em>many</em> <a href="https://example.org/">cases</a>.</p>'
        '<ul><li>One</li><li>Two</li></ul><img src="/m/a.png" alt="A chart">'
    )

    assert text == (
        "Findings\n\nToo many cases <https://example.org/>.\n\n• One\n• Two\n\n[A chart: /m/a.png]"
    )


def test_changes_lists_only_the_fields_that_differ_in_label_order():
    found = changes(
        {"title": "A", "tags": "x", "body": "same"},
        {"title": "B", "tags": "x", "body": "same"},
        {"body": "Body", "title": "Title", "tags": "Tags"},
    )

    assert [(c.name, c.label) for c in found] == [("title", "Title")]
    assert found[0].diff == "<del>A</del><ins>B</ins>"


def test_very_long_texts_are_compared_line_by_line_then_word_by_word():
    old = "\n".join(f"line {n} says the same" for n in range(12_000))
    new = old.replace("line 50 says", "line 50 now says")

    diff, _before, _after = word_diff(old, new)

    assert diff.count("<ins>") == 1 and "<del>" not in diff
    assert "line 50<ins> now</ins> says" in diff
