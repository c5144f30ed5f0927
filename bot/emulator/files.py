"""Files uploaded the v2 way: reserve an upload URL, send the bytes, complete and share."""

from __future__ import annotations

import mimetypes
import secrets
from typing import TYPE_CHECKING, Any

from bot.emulator.clone import clone
from bot.emulator.errors import ApiError

if TYPE_CHECKING:
    from bot.emulator.workspace import Workspace


class FileStore:
    """File metadata and bytes by file id; callers hold the workspace lock."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self._files: dict[str, dict] = {}
        self._bytes: dict[str, bytes] = {}

    def reserve(self, *, filename: str, length: int, user: str, alt_txt: str | None) -> str:
        """Reserve a file id for an upload of `length` bytes."""
        if not filename:
            raise ApiError("invalid_arguments")
        file_id = "F" + secrets.token_hex(5).upper()
        mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        self._files[file_id] = {
            "id": file_id,
            "name": filename,
            "title": filename,
            "mimetype": mimetype,
            "filetype": filename.rsplit(".", 1)[-1].lower() if "." in filename else "binary",
            "size": length,
            "user": user,
            "created": int(self.ws.clock()),
            "alt_txt": alt_txt,
            "channels": [],
            "shares": {},
        }
        return file_id

    def knows(self, file_id: str) -> bool:
        """Whether an upload URL was issued here for this file."""
        return file_id in self._files

    def store_bytes(self, file_id: str, data: bytes) -> None:
        """Keep the uploaded bytes; unknown ids are refused."""
        if file_id not in self._files:
            raise ApiError("file_not_found")
        self._bytes[file_id] = data
        self._files[file_id]["size"] = len(data)

    def complete(self, entries: list[dict]) -> list[dict]:
        """Finish uploads of `[{id, title}]`; every file must exist and have its bytes."""
        completed = []
        for entry in entries:
            file_id = entry.get("id")
            if file_id not in self._files:
                raise ApiError("file_not_found")
            if file_id not in self._bytes:
                raise ApiError("file_upload_not_complete")
            if entry.get("title"):
                self._files[file_id]["title"] = entry["title"]
            completed.append(self._files[file_id])
        return [clone(f) for f in completed]

    def share(self, file_id: str, channel_id: str, ts: str) -> None:
        """Note that the file was shared in a channel message."""
        info = self._files[file_id]
        info["channels"].append(channel_id)
        info["shares"].setdefault(channel_id, []).append({"ts": ts})

    def info(self, file_id: str) -> dict[str, Any]:
        """A copy of the file's metadata, or `file_not_found`."""
        if file_id not in self._files:
            raise ApiError("file_not_found")
        return clone(self._files[file_id])

    def data(self, file_id: str) -> bytes:
        """The uploaded bytes, or `file_not_found`."""
        if file_id not in self._bytes:
            raise ApiError("file_not_found")
        return self._bytes[file_id]
