"""The upload flow on both stores, with the real iNaturalist photos and real defective files."""

from __future__ import annotations

import hashlib
import io

import httpx
import pytest
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational
from sqlalchemy import func, select

from subgraphs.core.base.errors import ClientError, ErrorCode
from subgraphs.core.data.db import Database
from subgraphs.core.storage.storage import object_store
from subgraphs.core.writes.mutations import InvalidInput
from subgraphs.media import service
from subgraphs.media.models import Media, media, object_upload
from subgraphs.media.service import orphans

from ..conftest import graphql
from .conftest import COMPLETE_UPLOAD, CREATE_UPLOAD, MediaServer, photo


async def counts(db: Database) -> tuple[int, int]:
    async with db.engine.connect() as conn:
        return (await conn.scalar(select(func.count()).select_from(media)),
                await conn.scalar(select(func.count()).select_from(object_upload)))


async def stored_keys(server: MediaServer) -> list[str]:
    return await object_store(server.subgraphs.settings).keys("herpetology/")


def test_gecko_photo_metadata_comes_out_exactly(media_server: MediaServer) -> None:
    content = photo("gecko-foot-malaysia.jpg")
    result = media_server.upload(content, filename="gecko-foot-malaysia.jpg", caption="Gekko smithii foot")

    assert result["errors"] == []
    record = result["media"]
    assert (record["dcType"], record["dcFormat"], record["sizeBytes"]) == ("StillImage", "image/jpeg", len(content))
    assert record["sha256"] == hashlib.sha256(content).hexdigest()
    assert (record["width"], record["height"]) == (100, 55)
    exif = record["exif"]
    assert (exif["make"], exif["model"]) == ("SONY", "ILCE-7RM3")
    assert exif["artist"] == exif["copyright"] == "Tony Iwane"
    assert exif["dateTimeOriginal"] == "2020-01-16T22:17:52"
    assert exif["gps"]["latitude"] == pytest.approx(5 + 25 / 60 + 5.63 / 3600, abs=1e-6)
    assert exif["gps"]["longitude"] == pytest.approx(100 + 14 / 60 + 49.85 / 3600, abs=1e-6)
    assert "imageDescription" not in exif  # all spaces in the file: a blank field, not a caption
    assert record["tags"] == ["penang", "malaysia", "penang island", "lizard", "gekko smithii", "giant forest gecko"]
    assert record["rightsHolder"] == "Tony Iwane"
    assert record["digitizationDate"].startswith("2020-01-16T22:17:52")


def test_cuthona_gps_is_west_and_keywords_single(media_server: MediaServer) -> None:
    record = media_server.upload(photo("cuthona_abronia-tagged.jpg"), filename="cuthona.jpg")["media"]
    assert record["exif"]["gps"]["latitude"] == pytest.approx(37 + 29.67 / 60, abs=1e-6)
    assert record["exif"]["gps"]["longitude"] == pytest.approx(-(122 + 29.96 / 60), abs=1e-6)
    assert record["tags"] == ["Cuthona abronia"]
    assert record["exif"]["model"] == "Canon EOS DIGITAL REBEL XSi"


def test_derivatives_download_and_respect_orientation(media_server: MediaServer) -> None:
    image = Image.new("RGB", (400, 200), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 90° clockwise to view
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    record = media_server.upload(out.getvalue(), filename="sideways.jpg")["media"]

    assert record["width"] == 400 and record["height"] == 200
    variants = {d["variant"]: d for d in record["derivatives"]}
    assert (variants["thumbnail"]["width"], variants["thumbnail"]["height"]) == (128, 256)
    thumbnail = httpx.get(record["thumbnailUrl"], timeout=30)
    assert thumbnail.status_code == 200
    assert Image.open(io.BytesIO(thumbnail.content)).size == (128, 256)
    original = httpx.get(record["url"], timeout=30)
    assert hashlib.sha256(original.content).hexdigest() == record["sha256"]


def corrupt_jpeg() -> bytes:
    return photo("gecko-foot-malaysia.jpg")[:3000]  # a real JPEG, cut off mid-scan


@pytest.mark.parametrize(("case", "code"), [
    ("wrong checksum", "CHECKSUM_MISMATCH"),
    ("wrong size", "SIZE_MISMATCH"),
    ("not an image", "NOT_AN_IMAGE"),
    ("corrupt jpeg", "CORRUPT_FILE"),
    ("png announced as jpeg", "CONTENT_TYPE_MISMATCH"),
])
async def test_bad_upload_is_refused_and_removed(db: Database, media_server: MediaServer, case: str, code: str) -> None:
    before_keys, before_rows = await stored_keys(media_server), await counts(db)
    content = photo("cuthona_abronia-tagged.jpg")
    png = io.BytesIO()
    Image.new("RGB", (10, 10)).save(png, "PNG")
    upload = {
        "wrong checksum": lambda: media_server.upload(content, sha256="0" * 64),
        "wrong size": lambda: media_server.upload(content, body=content + b"extra"),
        "not an image": lambda: media_server.upload(b"%PDF-1.4 not a photo", filename="photo.jpg"),
        "corrupt jpeg": lambda: media_server.upload(corrupt_jpeg()),
        "png announced as jpeg": lambda: media_server.upload(png.getvalue()),
    }[case]

    result = upload()

    assert result["media"] is None
    assert result["errors"][0]["code"] == code, result
    assert await stored_keys(media_server) == before_keys  # the bad object is gone
    assert (await counts(db))[0] == before_rows[0]  # and no media record exists


@pytest.mark.parametrize(("input", "code", "field"), [
    ({"mediaType": "application/x-msdownload"}, "FORBIDDEN_MEDIA_TYPE", "mediaType"),
    ({"size": 10_000_000}, "TOO_LARGE", "size"),
    ({"sha256": "not-hex"}, "BAD_USER_INPUT", "sha256"),
])
async def test_upload_is_refused_before_any_byte(db: Database, media_server: MediaServer, input: dict, code: str,
                                                 field: str) -> None:
    before = await counts(db)
    body = graphql(media_server.url, """mutation($input: CreateUploadInput!) { createUpload(input: $input) {
      upload { id } errors { code field } } }""", {"input": {
        "group": "herpetology", "filename": "x.bin", "mediaType": "image/jpeg", "size": 10, "sha256": "a" * 64,
        **input}})
    assert body["data"]["createUpload"] == {"upload": None, "errors": [{"code": code, "field": field}]}
    assert await counts(db) == before


async def test_complete_upload_refuses_metadata_that_does_not_fit_before_storing_anything(
        db: Database, media_server: MediaServer) -> None:
    # Before: the derivatives were stored, then the too-long license failed the INSERT as an "Unexpected error".
    content = photo("gecko-foot-malaysia.jpg")
    created = graphql(media_server.url, CREATE_UPLOAD, {"input": {
        "group": "herpetology", "filename": "gecko.jpg", "mediaType": "image/jpeg", "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest()}})["data"]["createUpload"]["upload"]
    httpx.put(created["uploadUrl"], content=content, headers={"content-type": "image/jpeg"}, timeout=30)
    before, keys = await counts(db), await stored_keys(media_server)

    refused = graphql(media_server.url, COMPLETE_UPLOAD, {"input": {
        "uploadId": created["id"], "license": "x" * 501, "tags": ["gecko", "foot\x00"]}})["data"]["completeUpload"]

    assert refused == {"media": None, "errors": [
        {"code": "BAD_USER_INPUT", "field": "tags.1",
         "message": "tags.1 contains a NUL character (\\u0000), which cannot be stored."},
        {"code": "BAD_USER_INPUT", "field": "license", "message": "license is longer than 500 characters."}]}
    assert (await counts(db), await stored_keys(media_server)) == (before, keys)  # no derivative left behind
    completed = graphql(media_server.url, COMPLETE_UPLOAD, {"input": {
        "uploadId": created["id"], "license": "CC-BY-4.0"}})["data"]["completeUpload"]
    assert completed["errors"] == []


def test_oversized_put_is_stopped_while_streaming(media_server: MediaServer) -> None:
    if media_server.backend != "filesystem":
        pytest.skip("S3 enforces sizes itself; completeUpload's size check covers it (test above)")
    created = graphql(media_server.url, CREATE_UPLOAD, {"input": {
        "group": "herpetology", "filename": "big.jpg", "mediaType": "image/jpeg", "size": 1000,
        "sha256": "a" * 64}})["data"]["createUpload"]["upload"]
    put = httpx.put(created["uploadUrl"], content=b"\xff" * 300_000, timeout=30)
    completed = graphql(media_server.url, COMPLETE_UPLOAD, {"input": {"uploadId": created["id"]}})
    assert put.status_code == 413 and put.json() == {"errors": [{"message": "Uploads are limited to 200,000 bytes.",
                                                                "extensions": {"code": "TOO_LARGE"}}]}
    assert completed["data"]["completeUpload"]["errors"][0]["code"] == "NOT_UPLOADED"


async def test_delete_removes_stored_objects_after_commit(db: Database, media_server: MediaServer) -> None:
    record = media_server.upload(photo("gecko-foot-malaysia.jpg"))["media"]
    keys_with = await stored_keys(media_server)
    body = graphql(media_server.url, """mutation($i: DeleteInput!) { deleteMedia(input: $i) {
      media { id } errors { code } } }""", {"i": {"id": record["id"], "version": 1}})
    assert body["data"]["deleteMedia"] == {"media": {"id": record["id"]}, "errors": []}
    gone = set(keys_with) - set(await stored_keys(media_server))
    assert len(gone) == 3 and sum(record["id"] in key for key in gone) == 2  # the original and two derivatives
    assert httpx.get(record["thumbnailUrl"], timeout=30).status_code in (403, 404)


def test_tampered_download_url_is_refused(media_server: MediaServer) -> None:
    if media_server.backend != "filesystem":
        pytest.skip("S3 checks its own signatures")
    record = media_server.upload(photo("gecko-foot-malaysia.jpg"))["media"]
    tampered = record["url"].replace("signature=", "signature=0")
    assert httpx.get(tampered, timeout=30).status_code == 403


def with_exif(content: bytes, **tags: object) -> bytes:
    """``content`` (a real JPEG) with its EXIF rewritten: ``tags`` by Pillow name (None removes one), in place
    of the original APP1 segment, every other byte (XMP, the scan) as it was."""
    image = Image.open(io.BytesIO(content))
    exif = image.getexif()
    for name, value in tags.items():
        number = next(k for k, v in ExifTags.TAGS.items() if v == name)
        if value is None:
            exif.pop(number, None)
        else:
            exif[number] = value
    segment = b"Exif\x00\x00" + exif.tobytes()
    position = 2  # after SOI: segments are FF xx, length (2 bytes, big-endian, including itself), payload
    while content[position] == 0xFF and content[position + 1] != 0xDA:
        length = int.from_bytes(content[position + 2:position + 4])
        if content[position + 1] == 0xE1 and content[position + 4:position + 10] == b"Exif\x00\x00":
            return (content[:position] + b"\xff\xe1" + (len(segment) + 2).to_bytes(2) + segment
                    + content[position + 2 + length:])
        position += 2 + length
    raise AssertionError("no EXIF segment")


async def orphaned(db: Database, server: MediaServer) -> list[str]:
    async with db.unit_of_work() as session:
        return await orphans(session, object_store(server.subgraphs.settings))


async def test_odd_exif_text_is_cleaned_when_read_and_the_upload_succeeds(db: Database,
                                                                          media_server: MediaServer) -> None:
    # Before: the copyright, too long for rightsHolder (String(500)), and the NUL in the artist were refused
    # as BAD_USER_INPUT on `rightsHolder` and `exif.artist` — fields the client never sent — after the
    # derivatives were stored, which were left behind as orphans.
    content = with_exif(photo("gecko-foot-malaysia.jpg"), Artist="Tony\x00Iwane", Copyright="(c) " + "x" * 600,
                        ImageDescription="Giant forest gecko\x00\x00\x00", Make="SO\x00NY")
    before, left_before = await counts(db), await orphaned(db, media_server)

    result = media_server.upload(content, filename="odd-exif.jpg")

    assert result["errors"] == []
    record = result["media"]
    exif = record["exif"]
    assert exif["copyright"] == "(c) " + "x" * 600  # the full text, as read
    assert record["rightsHolder"] == ("(c) " + "x" * 600)[:500]  # cut to what the column holds
    assert exif["artist"] == "Tony; Iwane"  # a NUL separates EXIF strings (copyright: photographer, editor)
    assert exif["imageDescription"] == "Giant forest gecko"  # trailing NUL padding dropped
    assert exif["make"] == "SO; NY"
    assert record["tags"][:2] == ["penang", "malaysia"]  # the XMP keywords are untouched
    assert await counts(db) == (before[0] + 1, before[1])
    assert await orphaned(db, media_server) == left_before  # the derivatives belong to the new record


async def test_exif_copyright_with_an_editor_part_and_a_blank_photographer(media_server: MediaServer) -> None:
    # EXIF 2.3: "photographer NUL editor"; only an editor: " NUL editor".
    both = media_server.upload(with_exif(photo("cuthona_abronia-tagged.jpg"), Copyright="Ann Photo\x00Ed Itor\x00"))
    editor = media_server.upload(with_exif(photo("cuthona_abronia-tagged.jpg"), Copyright=" \x00Ed Itor\x00"))
    assert both["media"]["rightsHolder"] == "Ann Photo; Ed Itor"
    assert editor["media"]["rightsHolder"] == "Ed Itor"


async def test_a_nul_only_or_blank_exif_text_is_no_value(media_server: MediaServer) -> None:
    result = media_server.upload(with_exif(photo("gecko-foot-malaysia.jpg"), Copyright="\x00\x00", Artist=" \x00 "))
    assert result["errors"] == []
    assert "copyright" not in result["media"]["exif"] and "artist" not in result["media"]["exif"]
    assert result["media"]["rightsHolder"] is None


async def test_a_client_rights_holder_still_wins_over_exif_and_is_checked(media_server: MediaServer) -> None:
    content = with_exif(photo("gecko-foot-malaysia.jpg"), Copyright="(c) " + "x" * 600)
    assert media_server.upload(content, rightsHolder="Museum")["media"]["rightsHolder"] == "Museum"
    refused = media_server.upload(content, rightsHolder="y" * 501)
    assert refused["media"] is None and refused["errors"] == [
        {"code": "BAD_USER_INPUT", "field": "rightsHolder", "message": "rightsHolder is longer than 500 characters."}]


@pytest.mark.parametrize(("gps", "expected"), [
    ({ExifTags.GPS.GPSAltitude: IFDRational(0, 0)},
     {"latitude": pytest.approx(5 + 25 / 60 + 5.63 / 3600, abs=1e-6),
      "longitude": pytest.approx(100 + 14 / 60 + 49.85 / 3600, abs=1e-6)}),
    ({ExifTags.GPS.GPSLatitude: (IFDRational(5, 0), IFDRational(25), IFDRational(1))}, None),
])
async def test_unreadable_exif_dates_and_gps_numbers_are_left_out(db: Database, media_server: MediaServer,
                                                                  gps: dict, expected: dict | None) -> None:
    # Before: "0000:00:00 00:00:00" (what cameras with an unset clock write) failed datetime.fromisoformat,
    # and a 0/0 GPS rational became NaN, which jsonb refuses: each an "Unexpected error", after the
    # derivatives were stored, which were left behind.
    left_before = await orphaned(db, media_server)
    image = Image.open(io.BytesIO(photo("gecko-foot-malaysia.jpg")))
    exif = image.getexif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "0000:00:00 00:00:00"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)

    result = media_server.upload(out.getvalue(), filename="clock-unset.jpg")

    assert result["errors"] == []
    record = result["media"]
    assert record["exif"]["dateTimeOriginal"] == "0000:00:00 00:00:00"  # kept as read: not a date
    assert record["digitizationDate"] is None
    assert record["exif"].get("gps") == expected
    assert await orphaned(db, media_server) == left_before


async def test_a_record_refused_after_the_derivatives_were_stored_removes_them(
        db: Database, media_server: MediaServer, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever refuses the INSERT (a rule, the database), the derivatives stored for it must not stay.
    add_record = service.add_record

    async def refused(session: object, model: type, **values: object) -> object:
        if model is Media:
            raise ClientError(ErrorCode.BAD_USER_INPUT, "refused by the test", "uploadId")
        return await add_record(session, model, **values)  # type: ignore[arg-type]

    keys, before = await stored_keys(media_server), await counts(db)
    with monkeypatch.context() as patch:
        patch.setattr(service, "add_record", refused)
        result = media_server.upload(photo("gecko-foot-malaysia.jpg"), filename="refused.jpg")
    assert result == {"media": None, "errors": [
        {"code": "BAD_USER_INPUT", "field": "uploadId", "message": "refused by the test"}]}
    after = await stored_keys(media_server)
    assert [key for key in after if key not in keys and "/derivatives/" in key] == []
    assert (await counts(db))[0] == before[0]
    assert len(after) == len(keys) + 1  # only the original: its pending upload still points at it


async def test_ingest_removes_its_original_when_the_record_is_refused(db: Database, media_server: MediaServer) -> None:
    store = object_store(media_server.subgraphs.settings)
    keys = await stored_keys(media_server)
    with pytest.raises(InvalidInput):
        async with db.unit_of_work() as session:
            await service.ingest(session, store, photo("gecko-foot-malaysia.jpg"), actor="test", group="herpetology",
                                 filename="x.jpg", media_type="image/jpeg", license="x" * 501)
    assert await stored_keys(media_server) == keys


def test_tag_filter_matches_tags_not_the_caption(media_server: MediaServer) -> None:
    tagged = media_server.upload(photo("cuthona_abronia-tagged.jpg"), filename="tagged.jpg",
                                 caption="tag-filter caption", tags=["tag-filter nudibranch"])["media"]
    query = "query($filter: MediaFilter) { mediaList(filter: $filter, first: 100) { edges { node { id } } } }"

    def found(tag: dict) -> bool:
        edges = graphql(media_server.url, query, {"filter": {"tag": tag}})["data"]["mediaList"]["edges"]
        return tagged["id"] in [e["node"]["id"] for e in edges]

    assert found({"eq": "tag-filter nudibranch"}) and found({"in": ["x", "tag-filter nudibranch"]})
    assert found({"startsWith": "tag-filter n"}) and found({"contains": "nudi"})
    assert not found({"in": ["tag-filter caption"]}) and not found({"startsWith": "tag-filter c"})
    assert not found({"contains": "caption"}) and not found({"isNull": True})
