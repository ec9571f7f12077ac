"""Where the program keeps its settings and recovery files: the per-user data folder, never beside a draft."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

ENV_DATA_DIR = "NIANBAO_DATA_DIR"  # tests and portable installs point this elsewhere


def data_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    folder = Path(override) if override else Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def recovery_dir() -> Path:
    folder = data_dir() / "recovery"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settings() -> QSettings:
    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def last_folder(settings: QSettings) -> Path:
    """The folder of the last file opened or written: where the next file dialog starts (home at first)."""
    return Path(settings.value("last_folder", str(Path.home())))


def remember_folder(settings: QSettings, path: Path) -> None:
    settings.setValue("last_folder", str(path.parent))
