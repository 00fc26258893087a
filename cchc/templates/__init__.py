"""Unit workbooks: the layout contract, the builder and the reader."""
