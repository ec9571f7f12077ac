"""One module per fuzzed format; each calls ``fuzzing.register``."""
