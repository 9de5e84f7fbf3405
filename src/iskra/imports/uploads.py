"""Unpack an uploaded .zip (an old site's uploads folder) safely into a folder."""

import shutil
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

ZIP_MAX_BYTES = 20 * 1024**3
ZIP_MAX_ENTRIES = 500_000


class UploadError(ValueError):
    """The uploaded archive cannot be unpacked; the message says why."""


def extract_zip(upload, folder):
    """Unpack ``upload`` into ``folder`` and return the folder the files are in (the one
    top folder of the archive, when it has only one). Refuses corrupt archives, archives
    too large when unpacked, and paths that would leave the folder."""
    folder = Path(folder).resolve()
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                raise UploadError(_("The archive holds too many files."))
            if sum(entry.file_size for entry in entries) > ZIP_MAX_BYTES:
                raise UploadError(_("The archive is larger than 20 GB when unpacked."))
            for entry in entries:
                target = (folder / entry.filename).resolve()
                if folder not in target.parents and target != folder:
                    raise UploadError(
                        _("The archive holds a path outside its folder: %(name)s")
                        % {"name": entry.filename}
                    )
                if entry.is_dir():
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(entry) as source, target.open("wb") as copy:
                    shutil.copyfileobj(source, copy)
    except zipfile.BadZipFile:
        raise UploadError(_("The uploads file is not a readable .zip archive.")) from None
    children = [child for child in folder.iterdir() if not child.name.startswith("__MACOSX")]
    if len(children) == 1 and children[0].is_dir():
        return children[0]
    return folder
