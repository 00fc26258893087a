"""Outputs: issue lists, results, appendices, charts, the HTML report."""
