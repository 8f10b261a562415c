"""Attachments: files from --media-dir through the image pipeline, or listed as missing."""

import json

from wordpress.addresses import upload_path
from wordpress.content import Attachment
from wordpress.media import MediaError, StoredFile, media_exists, media_store
from wordpress.services.state import ImportState
from wordpress.services.values import Kind, plain_text


class AttachmentsStep(ImportState):
    """Media before posts, so bodies and featured images can point at the stored files."""

    def import_media(self) -> None:
        self.media: dict[int, StoredFile] = {}
        known = self.mapped(Kind.ATTACHMENT)
        missing = []
        for done, (wp_id, item) in enumerate(self.attachments.items(), 1):
            self.progress("media", done, len(self.attachments))
            relative = item.meta.get("_wp_attached_file") or upload_path(item.attachment_url)
            earlier = known.get(wp_id)
            if earlier and media_exists(earlier.path):
                width, height = json.loads(earlier.guid or "[null, null]")
                self.media[wp_id] = StoredFile(earlier.path, width, height)
                self.report.count("attachments", "unchanged")
            elif self.media_dir is None:
                missing.append(item.attachment_url or relative)
                continue
            else:
                try:
                    stored = media_store(
                        media_dir=self.media_dir, relative=relative, dry_run=self.dry_run
                    )
                except MediaError as exc:
                    self.report.skip("attachments", "missing or refused")
                    self.report.note(f"attachment {wp_id}: {exc}; the old address stays")
                    continue
                if not self.dry_run:
                    self.stored_files.append(stored.name)
                self.media[wp_id] = stored
                self.report.count("attachments", "stored")
                self.remember(
                    Kind.ATTACHMENT, wp_id, path=stored.name,
                    guid=json.dumps([stored.width, stored.height]), old_url=item.attachment_url,
                )  # fmt: skip
            self.book.add_media(item.attachment_url, self.media[wp_id].url)
        if missing:
            self.report.skip("attachments", "not brought over (no --media-dir)", len(missing))
            for url in missing[:200]:
                self.report.note(f"missing media (still at its old address): {url}")

    def attachment_index(self) -> dict[int, Attachment]:
        found = {}
        for wp_id, item in self.attachments.items():
            stored = self.media.get(wp_id)
            found[wp_id] = Attachment(
                url=stored.url if stored else item.attachment_url,
                title=plain_text(item.title),
                caption=plain_text(item.excerpt),
                alt=plain_text(item.meta.get("_wp_attachment_image_alt", "")),
                parent=item.parent,
            )
        return found
