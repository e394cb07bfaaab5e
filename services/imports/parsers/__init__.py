"""Importers of public sanctions data: each parser turns one file format into a stream of
``ImportedPerson`` records (or skips and rejections, with their line numbers); the import
pipeline then matches and writes them. Parsers never touch the database."""
