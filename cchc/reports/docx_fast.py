"""Word documents from an editable template, rendered as docxtpl renders them, written fast.

docxtpl re-reads the template package, re-patches its XML and re-zips every part for each
document it writes. Here a template is prepared once: its body, headers and footers patched and
compiled exactly as docxtpl patches them, and the parts no render changes zipped once. Each
document then costs one jinja render, docxtpl's line-break pass where the text needs it, and the
zipping of the parts that changed. The result reads the same as docxtpl's, text for text (a test
compares them). A template that uses what this path does not reproduce (table-cell loops,
pictures, footnotes, tags in the document properties) is left to docxtpl: `prepare` says None.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from docxtpl import DocxTemplate
from jinja2 import Environment, Template

_PARAGRAPH = re.compile(r"<w:p([ >])")
_CELL_LOOP = re.compile(r"\{%\s*tc\b")
_BODY = re.compile(r"<w:body[ >]")
_ESCAPED = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))
"""Tags a template writes literally ('{_{' for '{{'), restored after rendering."""
_LISTING = ("\t", "\a", "\n", "\f")
"""Characters docxtpl's listing pass turns into tabs, paragraphs, breaks and page breaks."""
_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
"""What python-docx writes before every part."""
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
"""The document properties docxtpl renders as templates."""


@dataclass(frozen=True)
class Prepared:
    """A template made ready: what each document renders, and the zip of what it keeps."""

    template: DocxTemplate
    body: Template
    parts: tuple[tuple[str, Template, str], ...]
    """(zip member, compiled template, encoding) of each header and footer."""
    head: str
    tail: str
    """document.xml before and after its body."""
    base: bytes
    """A zip of every member that no render changes."""

    def render(self, context: dict[str, object]) -> bytes:
        """The .docx bytes of the template rendered with `context`."""
        out = io.BytesIO(self.base)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            body = self._part(self.body, context)
            archive.writestr("word/document.xml", (self.head + body + self.tail).encode())
            for name, template, encoding in self.parts:
                xml = _DECLARATION + self._part(template, context)
                archive.writestr(name, xml.encode(encoding))
        return out.getvalue()

    def _part(self, template: Template, context: dict[str, object]) -> str:
        """docxtpl's render_xml_part, after the template was compiled."""
        # docxtpl's re.sub(r"\n<w:p([ >])", r"<w:p\1"), as two plain replacements (a fifth of
        # the time on a 280 KB body: the regex calls back into Python at every paragraph)
        xml = template.render(context).replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if "{_" in xml or "_}" in xml:  # every escaped tag has one of the two
            for escaped, tag in _ESCAPED:
                xml = xml.replace(escaped, tag)
        if any(mark in xml for mark in _LISTING):
            xml = self.template.resolve_listing(xml)
        return str(xml)


def prepare(data: bytes, env: Environment) -> Prepared | None:
    """The template of these bytes prepared for `env`, or None when docxtpl must render it."""
    template = DocxTemplate(io.BytesIO(data))
    template.init_docx()
    source = template.get_xml()
    properties = template.docx.core_properties
    if (
        _CELL_LOOP.search(source)
        or "docPr" in source
        or any("{" in (getattr(properties, name) or "") for name in _PROPERTIES)
    ):
        return None
    for name in _PROPERTIES:  # docxtpl sets each one, rendered: the same text, as it has no tag
        setattr(properties, name, getattr(properties, name) or "")
    saved = io.BytesIO()
    template.docx.save(saved)
    with zipfile.ZipFile(saved) as package:
        if any("footnotes" in name for name in package.namelist()):
            return None
        document = package.read("word/document.xml").decode()
        sources = [
            (part.partname.lstrip("/"), template.get_part_xml(part))
            for uri in (template.HEADER_URI, template.FOOTER_URI)
            for _, part in template.get_headers_footers(uri)
        ]
        parts = tuple(
            (name, _compiled(template, xml, env), template.get_headers_footers_encoding(xml))
            for name, xml in sources
        )
        changed = {"word/document.xml", *(name for name, _, _ in parts)}
        base = io.BytesIO()
        with zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as kept:
            for info in package.infolist():
                if info.filename not in changed:
                    kept.writestr(info, package.read(info))
    start = _BODY.search(document)
    end = document.rfind("</w:body>")
    if start is None or end < 0:
        return None
    return Prepared(
        template=template,
        body=_compiled(template, source, env),
        parts=parts,
        head=document[: start.start()],
        tail=document[end + len("</w:body>") :],
        base=base.getvalue(),
    )


def _compiled(template: DocxTemplate, xml: str, env: Environment) -> Template:
    """docxtpl's patched source of a part, compiled (as render_xml_part compiles it)."""
    return env.from_string(_PARAGRAPH.sub(r"\n<w:p\1", template.patch_xml(xml)))
