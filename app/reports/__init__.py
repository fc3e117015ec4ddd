"""Reports built from the statistics service's data objects: the fixed codes and seed labels of the
KIA report's tables (``codes``) and the file forms other than PDF: JSON, CSV and Excel (``export``)."""
