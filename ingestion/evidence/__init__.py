"""Evidence files: content checks, SM4 encryption at rest, storage once per content, page images."""
