"""Rules: the registry of built-in rules, one module per family, and the engine that runs them."""
