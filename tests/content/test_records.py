"""Records as a build keeps them: pickled by their fields' values (records.Record.__reduce__)."""

from __future__ import annotations

import pickle
from datetime import date

import pytest
from conftest import ROOT
from pydantic import ValidationError

from hubsite import pipeline
from hubsite.options import BuildOptions


def test_every_record_unpickled_is_the_record_it_was() -> None:
    """Equal, of the same class, with the same fields written (what `exclude_unset` leaves out),
    the same JSON, and still frozen: the bundled site's hubs, partners, pages and settings."""
    content, problems = pipeline.validated(BuildOptions(content_dir=ROOT / "content", today=date(2026, 2, 1)))
    assert content is not None, problems
    records = [content.site, *(hub.record for hub in content.hubs), *(p.record for p in content.partners), *(p.record for p in content.pages)]
    assert len(records) > 40
    for record in records:
        taken = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(taken) is type(record) and taken == record
        assert taken.model_dump(exclude_unset=True) == record.model_dump(exclude_unset=True)
        assert taken.model_dump_json() == record.model_dump_json()
    with pytest.raises(ValidationError):
        taken.title = "changed"  # type: ignore[union-attr]
