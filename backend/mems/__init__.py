"""MEMS — Marketing Engineering Management System (营销工程管理系统)."""

__version__ = "0.1.0"
