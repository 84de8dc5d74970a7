"""Cross-domain workflows (imports, exports, demo data) built on each domain's service layer."""
