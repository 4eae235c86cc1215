"""Rule packs and jurisdiction files: YAML reading, schema, loading."""
