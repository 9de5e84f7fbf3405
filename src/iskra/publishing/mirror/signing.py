"""A copy packed for volunteers who host it: a .tar.gz with a manifest of SHA-256
checksums signed with Ed25519, so that whoever receives it can check that it is whole
and comes from the organization (``iskra verify-mirror FILE --public-key KEY``)."""

import base64
import binascii
import hashlib
import io
import json
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .export import MirrorError

MANIFEST = "MANIFEST.json"
SIGNATURE = "MANIFEST.sig"
ROOT = "mirror"
FORMAT = 1


@dataclass
class PackedMirror:
    path: str
    files: int
    public_key: str


def _encode(raw):
    return base64.b64encode(raw).decode()


def _decode_key(text, what):
    text = (text or "").strip()
    text += "=" * (-len(text) % 4)  # the padding is easily lost when a key is copied
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise MirrorError(
            _("%(what)s is not an Ed25519 key (32 bytes in base64, as iskra mirror-key prints).")
            % {"what": what}
        )
    return raw


def new_key():
    """Return (private key, public key) of a new Ed25519 pair, in base64."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return _encode(private.private_bytes_raw()), _encode(public)


def public_key_of(private_text):
    """Return the public key (base64) of a private key (base64)."""
    private = Ed25519PrivateKey.from_private_bytes(_decode_key(private_text, "MIRROR_SIGNING_KEY"))
    return _encode(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def _digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest(root):
    files = {}
    for folder, _folders, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            files[relative] = {"sha256": _digest(path), "size": path.stat().st_size}
    return {
        "format": FORMAT,
        "created": timezone.now().isoformat(timespec="seconds"),
        "files": dict(sorted(files.items())),
    }


def signing_key(private_key=None):
    """Return the Ed25519 key that signs archives (``MIRROR_SIGNING_KEY``), or raise
    ``MirrorError`` saying how to make one."""
    private_text = private_key or getattr(settings, "MIRROR_SIGNING_KEY", "")
    if not private_text:
        raise MirrorError(
            _("MIRROR_SIGNING_KEY is not set: make a key with “iskra mirror-key” first.")
        )
    return Ed25519PrivateKey.from_private_bytes(_decode_key(private_text, "MIRROR_SIGNING_KEY"))


def pack_mirror(directory, archive, *, private_key=None):
    """Pack the copy in ``directory`` into the .tar.gz ``archive`` with a signed
    manifest; the file appears under its name only once it is complete."""
    private = signing_key(private_key)
    root = Path(directory).resolve()
    manifest = json.dumps(_manifest(root), ensure_ascii=False, indent=1).encode()
    signature = _encode(private.sign(manifest)).encode()
    archive = Path(archive)
    partial = archive.with_name(f".{archive.name}.partial")
    with tarfile.open(partial, "w:gz") as tar:
        for name, data in ((MANIFEST, manifest), (SIGNATURE, signature)):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o644
            tar.addfile(info, io.BytesIO(data))
        for relative in json.loads(manifest)["files"]:
            tar.add(root / relative, arcname=f"{ROOT}/{relative}", recursive=False)
    os.replace(partial, archive)
    public = _encode(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    return PackedMirror(str(archive), len(json.loads(manifest)["files"]), public)


def _read_signed(tar, public):
    try:
        manifest = tar.extractfile(MANIFEST).read()
        signature = base64.b64decode(tar.extractfile(SIGNATURE).read(), validate=True)
    except (KeyError, AttributeError, binascii.Error, ValueError) as error:
        raise MirrorError(_("The archive has no signed manifest.")) from error
    try:
        public.verify(signature, manifest)
    except InvalidSignature as error:
        raise MirrorError(
            _("The signature does not match: the archive was changed or signed by another key.")
        ) from error
    return json.loads(manifest)["files"]


def verify_mirror(archive, *, public_key):
    """Check an archive made by ``pack_mirror``: the manifest's signature, and every
    file against it (none missing, none added, none changed). Return the number of
    files; raise ``MirrorError`` saying what is wrong."""
    public = Ed25519PublicKey.from_public_bytes(_decode_key(public_key, _("The public key")))
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115  (closed by the with below)
    except (OSError, tarfile.TarError) as error:
        raise MirrorError(
            _("%(path)s is not a copy's archive (.tar.gz).") % {"path": archive}
        ) from error
    with tar:
        try:
            expected = _read_signed(tar, public)
            seen = set()
            for member in tar:
                if member.name in (MANIFEST, SIGNATURE):
                    continue
                name = PurePosixPath(member.name)
                relative = PurePosixPath(*name.parts[1:]).as_posix() if len(name.parts) > 1 else ""
                if (
                    name.parts[0] != ROOT
                    or ".." in name.parts
                    or not member.isfile()
                    or relative not in expected
                ):
                    raise MirrorError(
                        _("The archive holds a file the manifest does not list: %(name)s")
                        % {"name": member.name}
                    )
                digest = hashlib.sha256()
                handle = tar.extractfile(member)
                for block in iter(lambda handle=handle: handle.read(1 << 20), b""):
                    digest.update(block)
                if digest.hexdigest() != expected[relative]["sha256"]:
                    raise MirrorError(_("%(name)s was changed after signing.") % {"name": relative})
                seen.add(relative)
        except (OSError, EOFError, tarfile.TarError) as error:
            raise MirrorError(_("The archive is damaged: %(error)s") % {"error": error}) from error
    missing = sorted(set(expected) - seen)
    if missing:
        raise MirrorError(
            _("The archive lacks %(count)d files of its manifest, first %(name)s")
            % {"count": len(missing), "name": missing[0]}
        )
    return len(seen)
