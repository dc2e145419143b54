from tuireader.core.opml import read_opml, write_opml


def test_roundtrip_with_sections_as_folders() -> None:
    text = write_opml(
        [
            ("https://a.example/feed", "أخبار", "سياسة"),
            ("https://b.example/rss", "B & <co>", None),
            ("https://c.example/rss", "C", "سياسة"),
        ]
    )
    found = read_opml(text.encode())
    assert found.refused == []
    assert [(f.url, f.title, f.section) for f in found.feeds] == [
        ("https://a.example/feed", "أخبار", "سياسة"),
        ("https://c.example/rss", "C", "سياسة"),
        ("https://b.example/rss", "B & <co>", None),
    ]


def test_dangerous_urls_are_refused_and_reported() -> None:
    opml = b"""<?xml version="1.0"?>
<opml version="2.0"><body>
  <outline text="ok" xmlUrl="https://good.example/feed"/>
  <outline text="exec" xmlUrl="exec:rm -rf ~"/>
  <outline text="filter" xmlUrl="filter:~/bin/x.sh:https://x.example"/>
  <outline text="file" xmlUrl="file:///etc/passwd"/>
  <outline text="shell" xmlUrl="https://x.example/`touch /tmp/pwned`|sh"/>
  <outline text="js" xmlUrl="javascript:alert(1)"/>
</body></opml>"""
    found = read_opml(opml)
    assert [f.url for f in found.feeds] == ["https://good.example/feed"]
    assert [url for url, _ in found.refused] == [
        "exec:rm -rf ~",
        "filter:~/bin/x.sh:https://x.example",
        "file:///etc/passwd",
        "https://x.example/`touch /tmp/pwned`|sh",
        "javascript:alert(1)",
    ]


def test_entities_are_not_expanded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    opml = f"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY x SYSTEM "file://{secret}">]>
<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/f"/></body></opml>
""".encode()
    found = read_opml(opml)
    assert all("TOP-SECRET" not in (f.title or "") for f in found.feeds)
