"""`dora-tui collect` on tag names git allows and a config cannot hold."""

from __future__ import annotations

import os
from pathlib import Path

from dora_tui.cli import main
from dora_tui.store.database import Store


def test_a_tag_not_valid_utf8_is_left_out_with_a_warning_naming_it(tmp_path: Path, make_repo, capsys) -> None:
    shop = make_repo("org/shop")
    shop.commit("2024-01-01T09:00:00")
    shop.tag("v1.0.0", "2024-01-02T10:00:00")
    shop.commit("2024-01-03T09:00:00")
    shop.tag(os.fsdecode(b"v1.1\xe9\xe2\x80\xae"), "2024-01-04T10:00:00")  # git takes any bytes but a few
    (tmp_path / "dora.toml").write_text(
        'database = "dora.db"\ntimezone = "UTC"\n[[services]]\nname = "shop"\nrepo = "org/shop"\ntag_pattern = "v*"\n'
    )
    for _ in range(2):  # said again at the next collect, while the tag is there
        capsys.readouterr()
        assert main(["collect"]) == 0
        err = capsys.readouterr().err
        assert err.splitlines() == [
            f"warning: {tmp_path / 'org' / 'shop'}: the tag 'v1.1\\xe9\\u202e' is left out: its name is not "
            "valid UTF-8 (shown with \\x escapes); rename it to count it"
        ]
    store = Store.open(tmp_path / "dora.db")
    assert [d.name for d in store.deployments(["shop"])] == ["v1.0.0"]  # the other counted nowhere
    store.close()
