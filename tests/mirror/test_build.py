from mirror.build import MirrorConfig, build, load_site_specs
from mirror.server import Mirror
from mirror.texts import seed_texts
from registry import load_registry


def test_build_is_deterministic_and_each_seed_article_lands_on_its_outlet():
    specs = load_site_specs()
    one, two = build(MirrorConfig(), specs), build(MirrorConfig(), specs)
    assert [a for s in one for a in s.articles] == [a for s in two for a in s.articles]
    by_site = {s.spec.id: s.articles for s in one}
    for seed in seed_texts():
        assert any(a.title == seed.title and a.paragraphs == seed.paragraphs for a in by_site[seed.site])


def test_without_the_corpus_every_article_but_the_seeds_is_written_news():
    sites = build(MirrorConfig(articles_per_site=30, use_corpus=False), load_site_specs())
    seed_titles = {t.title for t in seed_texts()}
    for site in sites:
        assert len(site.articles) == 36
        assert len({a.path for a in site.articles}) == 36
        written = [a for a in site.articles if a.title not in seed_titles]
        assert written and all(a.paragraphs[0].startswith(site.spec.dateline.split("{")[0]) for a in written)


def test_reserve_is_newer_than_everything_visible_and_release_publishes_it():
    with Mirror(MirrorConfig(articles_per_site=5, reserve_per_site=2)) as mirror:
        site = mirror.sites["waspada"]
        before = site.articles()
        released = mirror.release("waspada")
        assert len(released) == 1 and released[0].published > max(a.published for a in before)
        assert site.articles()[-1] == released[0]


def test_mirror_registry_points_at_the_mirror(tmp_path):
    with Mirror(MirrorConfig(articles_per_site=3, reserve_per_site=0)) as mirror:
        path = mirror.write_seeds(tmp_path / "m.toml")
        outlets = {o.id: o for o in load_registry(path)}
        assert set(outlets) == set(mirror.sites)
        assert outlets["binjaikota"].url == mirror.url("binjaikota")
        assert outlets["binjaikota"].archives == (mirror.url("binjaikota", "/berita"),)
        assert outlets["binjaikota"].delay == 0


def test_news_sites_run_edited_copies_of_the_portals_releases_and_they_group_as_one_story():
    from indexer.stories import Grouper

    sites = build(MirrorConfig(articles_per_site=12, use_corpus=False, syndicated=0.25), load_site_specs())
    by_key = {(a.site, a.number): a for s in sites for a in s.articles}
    copies = [a for a in by_key.values() if a.copy_of]
    assert len(copies) >= 12 and {by_key[c.copy_of].site for c in copies} <= {
        s.spec.id for s in sites if s.spec.theme == "goid"}
    grouper = Grouper()
    story = {key: grouper.assign(f"{key}", a.title, a.text, a.published)["story"]
             for key, a in sorted(by_key.items(), key=lambda kv: kv[1].published)}
    for copy in copies:
        release = by_key[copy.copy_of]
        assert copy.published > release.published and copy.paragraphs != release.paragraphs
        assert story[copy.site, copy.number] == story[copy.copy_of]
