"""The engine's stages, one module each, in the order an expert checks: shapes, purity,
stability, precision, gradient check, layer isolation. Each has `run(ctx) -> [Finding]`."""
