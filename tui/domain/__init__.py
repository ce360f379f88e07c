"""The domain: records, storage and use cases. Never imports textual or rich."""
