from pathlib import Path


def test_site_has_home_page(site_dir: Path) -> None:
    assert (site_dir / "index.html").is_file()
