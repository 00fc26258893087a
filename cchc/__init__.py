"""cchc: chấm điểm Chỉ số CCHC và SIPAS từ các tệp bộ tiêu chí và sổ chấm điểm."""

__version__ = "0.1.0"
