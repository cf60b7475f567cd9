"""OpenKAM: open-source Key Account Management (大客户管理系统)."""

__version__ = "0.1.0"
