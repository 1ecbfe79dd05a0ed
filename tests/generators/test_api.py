"""generators.api: the edge that answers registry queries for the families."""

from generators import api, registry


def test_fast_styles_are_the_registry_entries_of_the_style_kind():
    styles = api.fast_styles()
    assert styles and styles == sorted(styles)
    for name in styles:
        assert registry.spec(f"style-{name}").kind == api.STYLE_KIND
    assert len(styles) == len(registry.default.names(kind=api.STYLE_KIND))
