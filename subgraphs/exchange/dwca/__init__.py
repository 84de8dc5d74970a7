"""Darwin Core Archives (meta.xml + delimited core/extension files + EML) in and out."""
