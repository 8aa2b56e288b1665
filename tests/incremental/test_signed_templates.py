"""Compiled templates kept in .hubsite-cache/templates/ are loaded with marshal, which makes code of
whatever it is given: they are signed like the store's tables, and a file planted there (by a pull
request that commits it) is never loaded; the template is compiled again from its source."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import ROOT, TODAY, run_cli, scratch_content

from hubsite.incremental import store
from hubsite.render.environment import SignedBytecodeCache, make_environment


def build(content: Path, out: Path, user_cache: Path) -> str:
    result = run_cli("build", "--content", str(content), "--out", str(out), "--today", TODAY, env={**os.environ, "XDG_CACHE_HOME": str(user_cache)})
    assert result.code == 0, result.err
    return (out / "hubs/example-hub/index.html").read_text(encoding="utf-8")


def plant(cache_dir: Path, templates: Path, name: str, source: str, sign: bool) -> None:
    """Compile `source` as the template `name` and put it where the cache keeps `name`'s code."""
    env = make_environment(templates)
    cache = SignedBytecodeCache(str(cache_dir))
    path = templates / name
    bucket = cache.get_bucket(env, name, str(path), path.read_text(encoding="utf-8"))
    bucket.code = env.compile(source, name, str(path))
    target = Path(cache._get_cache_filename(bucket))
    with target.open("wb") as file:
        bucket.write_bytecode(file)
    if sign:
        target.write_bytes(store.signed(target.read_bytes()))


def test_a_planted_compiled_template_is_not_loaded(tmp_path: Path, monkeypatch) -> None:
    content = scratch_content(tmp_path / "content")
    out, user_cache = tmp_path / "site", tmp_path / "user-cache"
    assert "data-planted" not in build(content, out, user_cache)
    cache_dir = tmp_path / ".hubsite-cache/templates"
    assert any(cache_dir.iterdir())  # the build kept its compiled templates
    footer = (ROOT / "templates/partials/footer.html").read_text(encoding="utf-8").replace("<footer", "<footer data-planted", 1)
    plant(cache_dir, ROOT / "templates", "partials/footer.html", footer, sign=False)
    (content / "hubs/example-hub.yaml").write_text((content / "hubs/example-hub.yaml").read_text() + "\n")  # not "up to date"
    assert "data-planted" not in build(content, out, user_cache)
    # The same file signed with the user's own key is loaded: the test sees a planted file when it is.
    monkeypatch.setenv("XDG_CACHE_HOME", str(user_cache))
    store.signing_key.cache_clear()
    try:
        plant(cache_dir, ROOT / "templates", "partials/footer.html", footer, sign=True)
    finally:
        store.signing_key.cache_clear()
    (content / "hubs/example-hub.yaml").write_text((content / "hubs/example-hub.yaml").read_text() + "\n")
    assert "data-planted" in build(content, out, user_cache)
