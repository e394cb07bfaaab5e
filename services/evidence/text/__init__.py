"""The text of evidence files, page by page (issue 22, item 2).

``readers`` turns the bytes of a file into pages of text (the file's own text where it has
one, OCR where it is an image or a scan); ``language`` tells each page's language; ``derive``
records the result as a derivative file of the original with its custody events. The original
is only ever read.
"""
