"""Operating a chiso installation: backups of the data and the site database, restores
(``docs/operations.md``)."""
