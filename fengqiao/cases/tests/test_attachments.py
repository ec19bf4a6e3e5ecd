import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fengqiao.cases import services
from fengqiao.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"x" * 64


def upload(name, content, ctype="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=ctype)


def test_a_photo_is_stored_with_its_checksum_and_an_event(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    case = world.register()
    attachment = services.add_attachment(case=case, upload=upload("现场照片.png", PNG), actor=None)
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)
    assert attachment.original_name == "现场照片.png"
    assert (tmp_path / attachment.file.name).read_bytes() == PNG
    event = case.events.last()
    assert event.action == "attach" and event.note == "现场照片.png"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.pdf", b"", "文件为空"),
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 60, "不支持的文件类型"),
        ("fake.png", PDF, "不支持的文件类型"),  # content and extension disagree
        ("script.html", b"<script>alert(1)</script>", "不支持的文件类型"),
    ],
)
def test_bad_files_are_refused_in_chinese(world, tmp_path, settings, name, content, message):
    settings.MEDIA_ROOT = tmp_path
    case = world.register()
    with pytest.raises(ValidationFailed, match=message):
        services.add_attachment(case=case, upload=upload(name, content), actor=None)
    assert case.attachments.count() == 0
    assert case.events.count() == 1


def test_files_over_the_limit_are_refused(world, tmp_path, settings):
    # One way of overriding only: the settings fixture (a decorator's override_settings mixed
    # with it leaked the limit into the tests that ran after this one).
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_MAX_BYTES = 100
    case = world.register()
    with pytest.raises(ValidationFailed, match="不能超过"):
        services.add_attachment(case=case, upload=upload("big.pdf", PDF * 3), actor=None)
