"""Files: uploads (as real clients send them), the archive's list and its filters, downloads,
and the bytes kept through reset and snapshot files."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fake_dinero import Clock, FakeDinero, World
from fake_dinero.domain import files
from fake_dinero.domain.files import FILE_CONTENTS
from fake_dinero.live import LiveServer

from . import manual_voucher_calls as manual
from . import purchase_calls as purchases
from .file_calls import (
    ATTACHMENT_UPLOADS,
    FILES,
    MB,
    PDF,
    PNG,
    listed,
    listed_guids,
    multipart,
    upload,
    uploading,
)
from .ledger_item_calls import add, item
from .sales_calls import move_clock
from .support import BASE_URL, ORG, START, FakeTransport, dinero_error, get_token, requests_session

# -- uploads ---------------------------------------------------------------------------


def test_an_upload_answers_a_file_guid_in_dineros_form(api: httpx.Client) -> None:
    response = uploading(api)
    assert response.status_code == 200, response.text
    assert list(response.json()) == ["FileGuid"]
    assert re.fullmatch(r"[0-9a-z]{32}", response.json()["FileGuid"])


def test_the_same_seed_gives_the_same_file_guids() -> None:
    def guids() -> list[str]:
        organization = World.with_demo(seed=7, clock=Clock(START)).organizations[ORG]
        return [files.upload(organization, f"{n}.pdf", PDF).key for n in range(3)]

    first = guids()
    assert first == guids()
    assert len(set(first)) == 3


def test_a_download_is_the_uploaded_bytes_with_the_files_type_and_name(api: httpx.Client) -> None:
    guid = upload(api, "kvittering.png", PNG)
    response = api.get(f"{FILES}/{guid}")
    assert response.status_code == 200
    assert response.content == PNG
    assert response.headers["content-type"] == "image/png"
    assert 'filename="kvittering.png"' in response.headers["content-disposition"]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("scan.PDF", "application/pdf"),
        ("foto.jpg", "image/jpeg"),
        ("foto.JPEG", "image/jpeg"),
        ("logo.png", "image/png"),
        ("anim.Gif", "image/gif"),
    ],
)
def test_pdf_and_images_are_taken_whatever_the_extensions_case(
    api: httpx.Client, name: str, content_type: str
) -> None:
    guid = upload(api, name, PNG)
    assert api.get(f"{FILES}/{guid}").headers["content-type"] == content_type
    [listed_file] = listed(api)
    assert (listed_file["Name"], listed_file["Extension"]) == (name, name.rsplit(".", 1)[1].lower())


def test_a_part_named_image_with_the_name_in_the_query_is_an_upload(api: httpx.Client) -> None:
    """Dinero's best-practice page: ``/files/?fileName=receipt.pdf`` with a part named ``image``."""
    guid = upload(api, "blob", PNG, part="image", fileName="receipt.png")
    assert listed(api)[0]["Name"] == "receipt.png"
    assert api.get(f"{FILES}/{guid}").content == PNG


def test_a_part_with_only_a_filename_is_an_upload(api: httpx.Client) -> None:
    """The Hexio .NET client's part has a filename and no name."""
    body, headers = multipart(('form-data; filename="faktura.pdf"', PDF))
    response = api.post(FILES, content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert listed(api)[0]["Name"] == "faktura.pdf"


def test_the_file_name_query_wins_over_the_parts_file_name(api: httpx.Client) -> None:
    upload(api, "upload.pdf", PDF, fileName="bilag-17.pdf")
    assert listed(api)[0]["Name"] == "bilag-17.pdf"


def test_a_part_without_a_filename_is_the_file_when_the_query_names_it(api: httpx.Client) -> None:
    body, headers = multipart(('form-data; name="file"', PDF))
    response = api.post(FILES, content=body, headers=headers, params={"fileName": "receipt.pdf"})
    assert response.status_code == 200, response.text
    assert listed(api)[0]["Name"] == "receipt.pdf"


def test_an_rfc_5987_file_name_is_read_and_given_back(api: httpx.Client) -> None:
    """.NET adds ``filename*`` for names outside ASCII; it wins over ``filename``."""
    disposition = "form-data; name=file; filename=kvittering.pdf; filename*=utf-8''kvittering%20%C3%A6%C3%B8.pdf"
    body, headers = multipart((disposition, PDF))
    guid = api.post(FILES, content=body, headers=headers).json()["FileGuid"]
    assert listed(api)[0]["Name"] == "kvittering æø.pdf"
    assert "filename*=UTF-8''kvittering%20%C3%A6%C3%B8.pdf" in api.get(f"{FILES}/{guid}").headers["content-disposition"]


def test_the_first_file_part_is_taken(api: httpx.Client) -> None:
    body, headers = multipart(
        ('form-data; name="note"', b"not a file"),
        ('form-data; name="file"; filename="first.pdf"', PDF),
        ('form-data; name="other"; filename="second.png"', PNG),
    )
    guid = api.post(FILES, content=body, headers=headers).json()["FileGuid"]
    assert api.get(f"{FILES}/{guid}").content == PDF


def test_a_file_type_other_than_pdf_or_an_image_is_refused(api: httpx.Client) -> None:
    body = dinero_error(uploading(api, "bank.csv", b"a;b\n"), 400, 67)
    assert "PDF" in body["validationErrors"]["fileName"]
    assert listed(api) == []


def test_a_file_name_without_an_extension_is_refused(api: httpx.Client) -> None:
    body = dinero_error(uploading(api, "receipt", PDF), 400, 68)
    assert "receipt.pdf" in body["validationErrors"]["fileName"]


def test_a_body_that_is_not_multipart_is_refused(api: httpx.Client) -> None:
    dinero_error(api.post(FILES, json={"file": "JVBERi0xLjQ="}), 400, 69)
    dinero_error(api.post(FILES, content=PDF, headers={"Content-Type": "application/pdf"}), 400, 69)


def test_a_multipart_body_without_a_file_part_is_refused(api: httpx.Client) -> None:
    dinero_error(api.post(FILES, data={"name": "receipt.pdf"}, files={}), 400, 69)
    body, headers = multipart(('form-data; name="note"', b"hello"))
    dinero_error(api.post(FILES, content=body, headers=headers), 400, 69)


def test_a_multipart_body_with_a_broken_boundary_is_refused(api: httpx.Client) -> None:
    headers = {"Content-Type": "multipart/form-data; boundary=abc"}
    dinero_error(api.post(FILES, content=b"--xyz\r\nnot a part", headers=headers), 400, 69)


def test_a_file_over_six_megabytes_is_refused_with_413(api: httpx.Client) -> None:
    body = dinero_error(uploading(api, "big.pdf", b"0" * (6 * MB + 1)), 413, 43)
    assert body["message"] == "Limit Exceeded"
    assert str(6 * MB + 1) in body["validationErrors"]["file"] and str(6 * MB) in body["validationErrors"]["file"]


def test_a_file_of_exactly_six_megabytes_is_taken(api: httpx.Client) -> None:
    guid = upload(api, "big.pdf", b"0" * (6 * MB))
    assert listed(api)[0]["Size"] == 6 * MB
    assert len(api.get(f"{FILES}/{guid}").content) == 6 * MB


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(FakeDinero(World.with_demo(seed=1))) as live:
        yield live


def test_requests_uploads_a_file_to_a_live_server(server: LiveServer) -> None:
    with requests_session(server.base_url) as session:
        url = f"{server.base_url}/v1/{ORG}/files"
        response = session.post(url, files={"file": ("bilag.pdf", PDF, "application/pdf")}, timeout=10)
        assert response.status_code == 200, response.text
        download = session.get(f"{url}/{response.json()['FileGuid']}", timeout=10)
    assert (download.content, download.headers["Content-Type"]) == (PDF, "application/pdf")


# -- the archive -----------------------------------------------------------------------


def test_the_archive_lists_a_file_as_dinero_describes_it(api: httpx.Client) -> None:
    guid = upload(api, "receipt.pdf", PDF)
    assert listed(api) == [
        {
            "FileGuid": guid, "Name": "receipt.pdf", "Extension": "pdf", "Size": len(PDF),
            "UploadedAt": "2026-03-02T09:30:00", "Note": None, "NumberOfPages": 2, "Linked": [],
            "UploadedBy": None,
        }
    ]


def test_the_archive_is_a_plain_array_newest_upload_first(api: httpx.Client, clock: Clock) -> None:
    first = upload(api, "a.pdf")
    clock.advance(minutes=5)
    second = upload(api, "b.pdf")
    assert listed_guids(api) == [second, first]


def test_an_attachment_only_upload_is_not_in_the_archive_but_downloads(api: httpx.Client) -> None:
    archived = upload(api, "receipt.pdf")
    attachment = upload(api, "terms.pdf", PNG, path=ATTACHMENT_UPLOADS)
    assert listed_guids(api) == [archived]
    assert api.get(f"{FILES}/{attachment}").content == PNG


def test_an_attachment_only_upload_keeps_the_upload_rules(api: httpx.Client) -> None:
    dinero_error(uploading(api, "terms.docx", PDF, path=ATTACHMENT_UPLOADS), 400, 67)
    dinero_error(uploading(api, "terms.pdf", b"0" * (6 * MB + 1), path=ATTACHMENT_UPLOADS), 413, 43)


def test_an_unknown_file_is_not_found(api: httpx.Client) -> None:
    dinero_error(api.get(f"{FILES}/web0crmck5v0ndcx3313g6zn61tc7wgc"), 404, 40)


def test_extensions_filter_by_a_comma_list(api: httpx.Client) -> None:
    pdf, png, gif = upload(api, "a.pdf"), upload(api, "b.PNG", PNG), upload(api, "c.gif", PNG)
    assert set(listed_guids(api, extensions="pdf,png")) == {pdf, png}
    assert listed_guids(api, extensions="GIF") == [gif]


def test_extensions_filter_by_phps_indexed_array(api: httpx.Client) -> None:
    pdf, png, _ = upload(api, "a.pdf"), upload(api, "b.png", PNG), upload(api, "c.gif", PNG)
    assert set(listed_guids(api, ("extensions[0]", "pdf"), ("extensions[1]", "png"))) == {pdf, png}
    assert set(listed_guids(api, ("extensions", "pdf"), ("extensions", "png"))) == {pdf, png}


def test_uploaded_after_and_before_keep_whole_days(api: httpx.Client, clock: Clock) -> None:
    march_2 = upload(api, "a.pdf")
    move_clock(api, clock, days=1)
    march_3 = upload(api, "b.pdf")
    move_clock(api, clock, days=1)
    march_4 = upload(api, "c.pdf")
    assert listed_guids(api, uploadedAfter="2026/03/03") == [march_4, march_3]
    assert listed_guids(api, uploadedBefore="2026/03/03") == [march_3, march_2]
    assert listed_guids(api, uploadedAfter="2026-03-03", uploadedBefore="2026-03-03") == [march_3]


@pytest.mark.parametrize("name", ["uploadedAfter", "uploadedBefore"])
def test_an_upload_date_that_is_no_date_is_refused_naming_the_parameter(api: httpx.Client, name: str) -> None:
    body = dinero_error(api.get(FILES, params={name: "02-03-2026"}), 400, 42)
    assert "yyyy/MM/dd" in body["validationErrors"][name]
    dinero_error(api.get(FILES, params={name: "2026/02/30"}), 400, 42)


def test_a_file_is_used_once_a_manual_voucher_names_it(api: httpx.Client) -> None:
    guid = upload(api)
    assert listed_guids(api, fileStatus="Unused") == [guid]
    assert listed_guids(api, fileStatus="Used") == []
    voucher = manual.create(api, FileGuid=guid)
    assert listed_guids(api, fileStatus="used") == [guid]
    assert listed_guids(api, fileStatus="Unused") == []
    [link] = listed(api)[0]["Linked"]
    assert link == {"VoucherId": 0, "VoucherGuid": voucher["Guid"], "LinkedAt": "2026-03-02T09:30:00"}


def test_a_booked_voucher_links_under_its_number(api: httpx.Client, clock: Clock) -> None:
    guid = upload(api)
    voucher = manual.create(api, FileGuid=guid)
    clock.advance(minutes=10)
    booked = manual.book(api, voucher["Guid"])
    [link] = listed(api)[0]["Linked"]
    assert (link["VoucherId"], link["LinkedAt"]) == (booked["VoucherNumber"], "2026-03-02T09:40:00")


def test_deleting_the_voucher_leaves_the_file_unused(api: httpx.Client) -> None:
    guid = upload(api)
    voucher = manual.create(api, FileGuid=guid)
    response = api.request(
        "DELETE", f"{manual.MANUAL}/{voucher['Guid']}", json={"Timestamp": manual.timestamp(api, voucher["Guid"])}
    )
    assert response.status_code == 200, response.text
    assert listed_guids(api, fileStatus="Unused") == [guid]


def test_a_ledger_item_naming_the_file_makes_it_used(api: httpx.Client) -> None:
    guid = upload(api)
    ref = add(api, item(FileGuid=guid))
    assert listed_guids(api, fileStatus="Used") == [guid]
    assert listed(api)[0]["Linked"][0]["VoucherGuid"] == ref["Id"]


def test_a_purchase_voucher_naming_the_file_makes_it_used(api: httpx.Client) -> None:
    guid = upload(api)
    voucher = purchases.cash(api, FileGuid=guid)
    assert [link["VoucherGuid"] for link in listed(api, fileStatus="Used")[0]["Linked"]] == [voucher["Guid"]]


def test_a_purchase_credit_note_naming_the_file_makes_it_used(api: httpx.Client) -> None:
    guid = upload(api)
    response = purchases.credit_note_created(api, FileGuid=guid, ContactGuid=purchases.supplier(api))
    assert response.status_code == 200, response.text
    assert listed(api, fileStatus="Used")[0]["Linked"][0]["VoucherGuid"] == response.json()["Guid"]


def test_file_status_takes_the_enums_number_as_php_sends_it(api: httpx.Client) -> None:
    used, unused = upload(api, "used.pdf"), upload(api, "unused.pdf")
    manual.create(api, FileGuid=used)
    assert set(listed_guids(api, fileStatus="0")) == {used, unused}
    assert listed_guids(api, fileStatus="1") == [unused]
    assert listed_guids(api, fileStatus="2") == [used]


def test_an_unknown_file_status_is_refused(api: httpx.Client) -> None:
    body = dinero_error(api.get(FILES, params={"fileStatus": "Linked"}), 400, 42)
    assert "Used" in body["validationErrors"]["fileStatus"]
    dinero_error(api.get(FILES, params={"fileStatus": "3"}), 400, 42)


def test_the_archive_pages_with_a_default_page_size_of_1000(api: httpx.Client, clock: Clock) -> None:
    guids = []
    for number in range(5):
        guids.insert(0, upload(api, f"{number}.pdf"))
        clock.advance(seconds=1)
    assert listed_guids(api) == guids
    assert listed_guids(api, page="0", pageSize="2") == guids[:2]
    assert listed_guids(api, page="2", pageSize="2") == guids[4:]
    assert listed_guids(api, page="3", pageSize="2") == []


def test_a_page_size_over_1000_is_refused_as_other_lists_refuse_it(api: httpx.Client) -> None:
    dinero_error(api.get(FILES, params={"pageSize": "1001"}), 400, 43)
    dinero_error(api.get(FILES, params={"page": "-1"}), 400, 43)
    dinero_error(api.get(FILES, params={"page": "first"}), 400, 42)


# -- the bytes through reset and snapshots ------------------------------------------------


def test_the_same_bytes_uploaded_twice_are_stored_once(api: httpx.Client, fake: FakeDinero) -> None:
    first, second = upload(api, "a.pdf"), upload(api, "b.pdf")
    assert first != second
    assert len(fake.world.organizations[ORG].table(FILE_CONTENTS)) == 1
    assert api.get(f"{FILES}/{second}").content == PDF


def test_reset_forgets_uploads_made_since_the_baseline(api: httpx.Client, fake: FakeDinero) -> None:
    guid = upload(api)
    fake.control.reset()
    api.headers["Authorization"] = "Bearer " + get_token(api).json()["access_token"]
    assert listed(api) == []
    dinero_error(api.get(f"{FILES}/{guid}"), 404, 40)


def test_a_snapshot_file_keeps_files_downloadable_byte_for_byte(
    api: httpx.Client, fake: FakeDinero, tmp_path: Path
) -> None:
    archived = upload(api, "kvittering.png", PNG)
    attachment = upload(api, "terms.pdf", PDF, path=ATTACHMENT_UPLOADS)
    manual.create(api, FileGuid=archived)
    fake.control.export(tmp_path / "snapshot.json")

    other = FakeDinero()
    other.control.import_(tmp_path / "snapshot.json")
    with httpx.Client(transport=FakeTransport(other), base_url=BASE_URL) as client:
        client.headers["Authorization"] = "Bearer " + get_token(client).json()["access_token"]
        download = client.get(f"{FILES}/{archived}")
        assert (download.content, download.headers["content-type"]) == (PNG, "image/png")
        assert client.get(f"{FILES}/{attachment}").content == PDF
        assert listed_guids(client, fileStatus="Used") == [archived]
