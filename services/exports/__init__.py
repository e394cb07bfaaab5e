"""Case files: the data an export holds, each format (PDF, bag, CSV, FtM), signing and
verification."""
