"""Uploads (validated, kept private, errors listed, the app keeps working) and downloads (the
what-if read back with load_scenario is the same scenario, by hash)."""

from __future__ import annotations

import pytest
from _workbench import metric, set_lever, shown_hash, texts

import fiscal_sim
from fiscal_sim.app import downloads, uploads
from fiscal_sim.app.whatif import overlay_text
from fiscal_sim.app.words import word
from fiscal_sim.labels import label

GOOD = """extends: plan-followed
meta:
  title: {zh: "<b>测试县</b> **bold** ![x](http://example.com/x.png)", en: test county}
people:
  staff: {value: 4700, unit: persons, source: county HR bureau}
""".encode()


def _upload(app, name: str, data: bytes):
    app.radio(key="source").set_value("upload").run()
    app.file_uploader(key="upload").upload(name, data).run()
    assert not app.exception, app.exception
    return app


def test_a_bad_upload_lists_its_error_and_the_app_keeps_working(app):
    app.radio(key="lang").set_value("en").run()  # the errors in the page's language
    _upload(app, "county.yaml", b"extends: plan-followed\npeople:\n  staf: 4800\n")
    shown = texts(app)
    assert any(
        line.startswith("• county.yaml") and "people.staf: unknown key" in line for line in shown
    )
    assert any("did you mean 'people.staff'" in line for line in shown)
    assert not any("fiscal-sim-app-" in line for line in shown)  # no server folder shown
    assert shown_hash(app) == fiscal_sim.load_scenario("plan-followed").hash
    set_lever(app, "people", "people.staff", 4800.0)  # the workbench still works
    assert metric(app, label("headcount", "en"))[1].startswith("-")


def test_an_upload_may_not_point_at_server_files(app):
    _upload(app, "sneaky.yaml", b"extends: /etc/passwd\n")
    assert any("sneaky.yaml:1: extends: 上传的情景只能继承内置情景" in line for line in texts(app))
    app.radio(key="lang").set_value("en").run()  # the same error in the page's language
    assert any("may extend only a bundled scenario" in line for line in texts(app))
    _upload(app, "also.yml", b"extends: ../default-county.yaml\n")
    assert any("may extend only a bundled scenario" in line for line in texts(app))


def test_an_upload_too_large_or_of_the_wrong_kind_is_refused(tmp_path):
    with pytest.raises(uploads.UploadError, match="more than the limit"):
        uploads.receive("big.yaml", b"#" * (uploads.MAX_UPLOAD_BYTES + 1), tmp_path)
    with pytest.raises(uploads.UploadError, match=r"expected a \.yaml, \.yml or \.xlsx"):
        uploads.receive("county.txt", b"extends: default\n", tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing written for a refused file


def test_a_good_upload_is_the_base_and_its_title_stays_text(app, tmp_path):
    _upload(app, "../../测试 县.yaml", GOOD)
    scenario_text = next(line for line in texts(app) if "测试县" in line)
    assert "<b>测试县</b> **bold** ![x](http://example.com/x.png)" in scenario_text
    assert not any("测试县" in item.value for item in app.markdown)
    assert any(key.endswith("/测试_县.yaml") for key in app.session_state["whatifs"])
    own = tmp_path / "county.yaml"
    own.write_bytes(GOOD)
    assert shown_hash(app) == fiscal_sim.load_scenario(own).hash
    app.radio(key="lever_group").set_value("people").run()
    key = next(item.key for item in app.number_input if item.key.endswith("people.staff:"))
    app.number_input(key=key).set_value(4600.0).run()
    assert shown_hash(app) == fiscal_sim.load_scenario(own, ["people.staff=4600"]).hash


def test_the_downloaded_what_if_reads_back_to_the_same_hash(app, tmp_path):
    set_lever(app, "transfers", "revenue.general_transfers", 90000.0)
    set_lever(app, "revenue", "revenue.tax_level_shock", -12.0, year=2020)
    app.radio(key="lever_group").set_value("measures").run()
    app.selectbox(key="measure").set_value("startup_grant").run()
    app.checkbox(key="lever:bundled/plan-followed:measure:startup_grant:").uncheck().run()
    whatif = app.session_state["whatifs"]["bundled/plan-followed"]
    body = overlay_text(whatif, fiscal_sim.load_scenario("plan-followed"))
    shown = shown_hash(app)
    path = tmp_path / downloads.file_name("what-if", "x", shown, "yaml")
    path.write_bytes(downloads.overlay_bytes(body, fiscal_sim.load_scenario("plan-followed")))
    scenario = fiscal_sim.load_scenario(path)
    assert scenario.hash == shown
    text = path.read_text("utf-8")
    assert (
        "general_transfers" in text and "tax_level_shock" in text and "startup_grant: null" in text
    )
    assert "staff" not in text  # only what changed
    app.radio(key="view").set_value("downloads").run()
    names = [button.proto.label for button in app.get("download_button")]
    assert len(names) >= 3


def test_the_what_if_as_an_excel_workbook_reads_back_to_the_same_hash(app, tmp_path):
    set_lever(app, "people", "people.staff", 4800.0)
    app.radio(key="view").set_value("downloads").run()
    if downloads.workbook_writer() is None:  # fiscal_sim.workbook has not landed here yet
        assert word("download.workbook_missing", "zh") in texts(app)
        return
    labels = [button.proto.label for button in app.get("download_button")]
    assert word("download.workbook", "zh") in labels
    whatif = app.session_state["whatifs"]["bundled/plan-followed"]
    base = fiscal_sim.load_scenario("plan-followed")
    overlay = tmp_path / "what-if.yaml"
    overlay.write_text(overlay_text(whatif, base), encoding="utf-8")
    workbook = tmp_path / "what-if.xlsx"
    workbook.write_bytes(
        downloads.workbook_bytes(fiscal_sim.load_scenario(overlay), "plan-followed", "zh")
    )
    assert fiscal_sim.load_scenario(workbook).hash == shown_hash(app)


def test_an_excel_workbook_upload_goes_through_load_scenario(app, tmp_path):
    _upload(app, "county.xlsx", b"PK\x03\x04 not really a workbook")
    assert any(line.startswith("• county.xlsx") for line in texts(app))
    assert shown_hash(app) == fiscal_sim.load_scenario("plan-followed").hash
    if downloads.workbook_writer() is None:  # fiscal_sim.workbook has not landed here yet
        return
    workbook = tmp_path / "county.xlsx"
    workbook.write_bytes(
        downloads.workbook_bytes(fiscal_sim.load_scenario("austerity"), "austerity", "zh")
    )
    _upload(app, "county.xlsx", workbook.read_bytes())
    assert shown_hash(app) == fiscal_sim.load_scenario(workbook).hash
    assert shown_hash(app) == fiscal_sim.load_scenario("austerity").hash
