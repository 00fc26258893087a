"""Evidence (tài liệu kiểm chứng): read the references units cite, and check them.

`parse` splits a cell into references, `check` checks them against the item, the year, the
unit's evidence folder and (optionally) the web.
"""
