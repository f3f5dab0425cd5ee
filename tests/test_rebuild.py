"""Two builds in one process (as livereload does) share no state."""


def test_removed_and_renamed_series_leave_no_trace(site):
    site.series("hoer-bar", "Hör-Bar")
    site.series("fsj", "FSJ")
    site.entry("h/1.md", "Hörtipp", "2024-01-01", Series="Hör-Bar")
    site.entry("f/1.md", "Mein FSJ", "2024-01-02", Series="FSJ")
    output = site.root / "output"

    first = site.build(output=output)
    assert (output / "serien/fsj/index.html").is_file()
    assert first.series("hoer-bar").count == 1

    # the FSJ series is removed; Hör-Bar is renamed to Hörtipps (new file name)
    (site.content / "series/fsj.md").unlink()
    (site.content / "f/1.md").unlink()
    (site.content / "series/hoer-bar.md").rename(site.content / "series/hoertipps.md")
    site.series("hoertipps", "Hörtipps")
    site.entry("h/1.md", "Hörtipp", "2024-01-01", Series="Hörtipps")

    second = site.build(output=output)

    assert [s.slug for s in second.context["series_list"]] == ["hoertipps"]
    assert second.series("hoertipps").count == 1
    assert second.errors == []
    everything = second.all_text()
    assert "FSJ" not in everything
    assert "Hör-Bar" not in everything
    assert "hoer-bar" not in everything
    assert not (output / "serien/fsj").exists()


def test_part_moved_to_another_series_is_not_in_both(site):
    site.series("a", "Alpha")
    site.series("b", "Beta")
    site.entry("x.md", "Wanderer", "2024-01-01", Series="Alpha")
    site.entry("y.md", "Bleibt", "2024-01-02", Series="Alpha")
    first = site.build()
    assert first.series("a").count == 2

    site.entry("x.md", "Wanderer", "2024-01-01", Series="Beta")
    second = site.build()

    assert [a.title for a in second.series("a").articles] == ["Bleibt"]
    assert [a.title for a in second.series("b").articles] == ["Wanderer"]
    assert second.series("a").articles[0].series.count == 1
