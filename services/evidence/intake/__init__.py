"""Bulk intake (issue 22, item 7): exhibits from the files of a folder or a zip, with metadata
from an optional CSV sidecar.

``sources`` lists the files of a folder or an archive and refuses what is unsafe to read (paths
leaving it, links, special files, archives too large or too many files); ``sidecar`` reads the
metadata CSV; ``ingest`` makes one exhibit per file through the same services as an upload
(hashing, the store, the custody event "received", the exhibit number, text extraction queued)
and reports, per file, what became of it.
"""
