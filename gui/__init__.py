"""政务公开年报助手 GUI (PySide6): the authoring window and its dialogs, over the core model."""
