"""Unpack an uploaded .zip (an old site's uploads folder, a Telegram export) safely."""

import shutil
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

ZIP_MAX_BYTES = 20 * 1024**3
ZIP_MAX_ENTRIES = 500_000


class UploadError(ValueError):
    """The uploaded archive cannot be unpacked; the message says why."""


def unpack(upload, folder, *, max_bytes=ZIP_MAX_BYTES, max_entries=ZIP_MAX_ENTRIES):
    """Unpack the .zip ``upload`` into ``folder``. Refuses archives that are corrupt
    (``zipfile.BadZipFile``), too large when unpacked, or hold paths that would leave the
    folder (UploadError)."""
    folder = Path(folder).resolve()
    with zipfile.ZipFile(upload) as archive:
        entries = archive.infolist()
        if len(entries) > max_entries:
            raise UploadError(_("The archive holds too many files."))
        if sum(entry.file_size for entry in entries) > max_bytes:
            raise UploadError(
                _("The archive is larger than %(size)s GB when unpacked.")
                % {"size": max_bytes // 1024**3}
            )
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


def extract_zip(upload, folder):
    """Unpack an uploads folder sent as a .zip into ``folder``; return the folder the files
    are in (the archive's one top folder, when it has only one)."""
    folder = Path(folder).resolve()
    try:
        unpack(upload, folder)
    except zipfile.BadZipFile:
        raise UploadError(_("The uploads file is not a readable .zip archive.")) from None
    children = [child for child in folder.iterdir() if not child.name.startswith("__MACOSX")]
    if len(children) == 1 and children[0].is_dir():
        return children[0]
    return folder
