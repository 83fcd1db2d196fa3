"""Progress on disk: durable, locked, versioned."""
