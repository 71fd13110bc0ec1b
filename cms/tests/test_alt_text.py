"""Images need alt text, or a tick to say they are decorative, before a page is published."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.images.blocks import ImageBlock
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.tests.pages import guide, home, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo() -> Image:
    return Image.objects.create(title="Tom at football", file=get_test_image_file())


def _story_with(image, *, alt_text: str = "", decorative: bool = False):  # type: ignore[no-untyped-def]
    return [
        (
            "story",
            {
                "heading": "Football twice a week",
                "person": "Tom, 12",
                "quote": "",
                "story": "<p>His uncle drives him.</p>",
                "image": {"image": image.pk, "alt_text": alt_text, "decorative": decorative},
            },
        )
    ]


def _figure_with(image, *, alt_text: str = "", decorative: bool = False):  # type: ignore[no-untyped-def]
    return [("image", {"image": {"image": image.pk, "alt_text": alt_text, "decorative": decorative}, "caption": ""})]


def _stream(raw):  # type: ignore[no-untyped-def]
    # Stored form, as the editor's form and revisions hold it.
    return [{"type": block_type, "value": value} for block_type, value in raw]


@pytest.mark.parametrize("blocks", [_story_with, _figure_with])
def test_publishing_a_page_with_an_image_without_alt_text_is_refused(photo, blocks):
    page = guide(body=_stream(blocks(photo)))

    with pytest.raises(ValidationError) as error:
        publish(home(), page)

    assert "Add alt text to the image ‘Tom at football’, or tick ‘Image is decorative’" in str(error.value)


def test_an_image_with_alt_text_is_published_and_its_alt_text_is_used(client, photo):
    page = publish(home(), guide(body=_stream(_story_with(photo, alt_text="Tom kicking a ball"))))

    html = client.get(page.url).content.decode()

    assert 'alt="Tom kicking a ball"' in html


def test_a_decorative_image_is_published_with_empty_alt_text(client, photo):
    page = publish(home(), guide(body=_stream(_figure_with(photo, decorative=True))))

    html = client.get(page.url).content.decode()

    assert 'alt=""' in html


def test_a_draft_may_be_saved_before_the_alt_text_is_written(photo):
    page = guide(body=_stream(_story_with(photo)), live=False)
    home().add_child(instance=page)

    page.defers_publish_checks = True  # what the editor's form sets on "Save draft" and "Preview"
    page.full_clean()


def test_the_editor_form_asks_for_alt_text_when_publishing_but_not_for_a_draft(photo):
    # Wagtail's ImageBlock gives the message beside the image in the editor.
    block = ImageBlock()
    value = block.to_python({"image": photo.pk, "alt_text": "", "decorative": False})

    with pytest.raises(ValidationError):
        block.clean(value)
    block.defer_required_validation()
    assert block.clean(value) == value
