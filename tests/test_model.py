"""Loading the model bundle safely, and refusing what does not fit this code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import joblib
import pytest

import spamfarm
from spamfarm import ModelLoadError, load_model
from spamfarm._model import CARD_FILE, MODEL_FILE, shipped_model_dir


def test_shipped_model_loads_and_matches_its_card() -> None:
    m = load_model()
    card = json.loads((shipped_model_dir() / CARD_FILE).read_text())
    assert m.feature_names == spamfarm.FEATURE_NAMES
    assert card["feature_names"] == list(spamfarm.FEATURE_NAMES)
    assert card["model_version"] == m.version
    assert (shipped_model_dir() / MODEL_FILE).stat().st_size < 8_000_000


def test_other_paths_need_trust(tmp_path: Path) -> None:
    copy = tmp_path / "m.joblib"
    shutil.copy(shipped_model_dir() / MODEL_FILE, copy)
    with pytest.raises(ModelLoadError, match="trust=True"):
        load_model(copy)
    assert load_model(copy, trust=True).feature_names == spamfarm.FEATURE_NAMES


def test_missing_truncated_and_corrupt_files(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="does not exist"):
        load_model(tmp_path / "nope.joblib", trust=True)
    data = (shipped_model_dir() / MODEL_FILE).read_bytes()
    cut = tmp_path / "cut.joblib"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelLoadError, match="truncated or corrupt"):
        load_model(cut, trust=True)
    junk = tmp_path / "junk.joblib"
    junk.write_bytes(b"not a pickle at all")
    with pytest.raises(ModelLoadError):
        load_model(junk, trust=True)


def _bundle() -> dict:
    return joblib.load(shipped_model_dir() / MODEL_FILE)


def test_feature_names_that_differ_are_refused(tmp_path: Path) -> None:
    b = _bundle()
    b["feature_names"] = list(reversed(b["feature_names"]))
    joblib.dump(b, tmp_path / "m.joblib")
    with pytest.raises(ModelLoadError, match="other signals"):
        load_model(tmp_path / "m.joblib", trust=True)


def test_other_sklearn_version_is_our_error(tmp_path: Path) -> None:
    b = _bundle()
    b["sklearn_version"] = "0.0.1"
    joblib.dump(b, tmp_path / "m.joblib")
    with pytest.raises(ModelLoadError, match="scikit-learn 0.0.1"):
        load_model(tmp_path / "m.joblib", trust=True)


def test_not_a_bundle(tmp_path: Path) -> None:
    joblib.dump({"hello": 1}, tmp_path / "m.joblib")
    with pytest.raises(ModelLoadError, match="not a spamfarm model bundle"):
        load_model(tmp_path / "m.joblib", trust=True)


def test_shipped_file_must_match_recorded_sha(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "models"
    d.mkdir()
    shutil.copy(shipped_model_dir() / MODEL_FILE, d / MODEL_FILE)
    card = json.loads((shipped_model_dir() / CARD_FILE).read_text())
    card["sha256"] = "0" * 64
    (d / CARD_FILE).write_text(json.dumps(card))
    monkeypatch.setattr("spamfarm._model.shipped_model_dir", lambda: d)
    with pytest.raises(ModelLoadError, match="SHA-256"):
        load_model()
    (d / MODEL_FILE).unlink()
    with pytest.raises(ModelLoadError, match="missing"):
        load_model()


def test_explicit_model_argument_is_used(seed_farm_html: str) -> None:
    m = load_model(shipped_model_dir() / MODEL_FILE, trust=True)
    assert spamfarm.score(seed_farm_html, model=m) == spamfarm.score(seed_farm_html)


def test_threshold_is_validated(seed_farm_html: str) -> None:
    with pytest.raises(ValueError):
        spamfarm.explain(seed_farm_html, threshold=1.5)


class _Pwn:
    """Unpickling this creates a marker file: proof that a pickle was loaded."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.marker, "w"))


def test_untrusted_or_unmatched_pickles_are_never_unpickled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "unpickled"
    evil = tmp_path / "evil.joblib"
    joblib.dump({"payload": _Pwn(str(marker))}, evil)
    with pytest.raises(ModelLoadError, match="trust=True"):
        load_model(evil)
    assert not marker.exists()
    # The same file put in place of the shipped model fails the SHA-256 check before loading.
    d = tmp_path / "models"
    d.mkdir()
    shutil.copy(evil, d / MODEL_FILE)
    shutil.copy(shipped_model_dir() / CARD_FILE, d / CARD_FILE)
    monkeypatch.setattr("spamfarm._model.shipped_model_dir", lambda: d)
    with pytest.raises(ModelLoadError, match="SHA-256.*reinstall"):
        load_model()
    assert not marker.exists()
    joblib.load(evil)["payload"].close()  # the control: loading it really would have run code
    assert marker.exists()


def test_missing_or_garbled_model_card_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "models"
    d.mkdir()
    shutil.copy(shipped_model_dir() / MODEL_FILE, d / MODEL_FILE)
    monkeypatch.setattr("spamfarm._model.shipped_model_dir", lambda: d)
    with pytest.raises(ModelLoadError, match="model card.*reinstall"):
        load_model()
    (d / CARD_FILE).write_text("{not json")
    with pytest.raises(ModelLoadError, match="model card.*reinstall"):
        load_model()
    (d / CARD_FILE).write_text(json.dumps({"model_version": "x"}))
    with pytest.raises(ModelLoadError, match="model card"):
        load_model()


def test_corrupt_file_errors_say_what_to_do(tmp_path: Path) -> None:
    data = (shipped_model_dir() / MODEL_FILE).read_bytes()
    for name, blob in (("cut.joblib", data[:1000]), ("junk.joblib", b"\x80\x04garbage"), ("empty.joblib", b"")):
        f = tmp_path / name
        f.write_bytes(blob)
        with pytest.raises(ModelLoadError, match="reinstall spamfarm or rebuild"):
            load_model(f, trust=True)
