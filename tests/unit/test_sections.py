from tuireader.core.sections import primary_section, section_key


def test_spelling_variants_meet() -> None:
    assert section_key("الاقتصاد") == section_key("اقتصاد") == section_key("إقتصاد")
    assert section_key("الرياضة") == section_key("رياضه")
    assert section_key("Tech News") == section_key("tech-news") == section_key(" TECH  news ")
    assert section_key("سياسة") != section_key("اقتصاد")


def test_primary_section_prefers_configured_then_first_category_then_feed() -> None:
    assert primary_section("رياضة", ("سياسة",), "Feed")[0] == "رياضة"
    assert primary_section(None, ("سياسة", "المغرب"), "Feed")[0] == "سياسة"
    assert primary_section(None, (), "أخبار اليوم")[0] == "أخبار اليوم"
    assert primary_section(None, ("  ",), "Feed")[0] == "Feed"
