"""The assessment of a dossier against the elements of the crime and the modes of liability:
pure, no database."""
