"""The Jinja templates, one folder per feature; installed as `matchsvc.templates`.

Not Python: this file only lets the installed package (and the editable install) find the folder
through an import, as `matchsvc.paths` does.
"""
