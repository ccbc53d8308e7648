"""The HTTP edge: the gateway, callers and keys, access, CORS, bounds, errors and the envelope."""
