"""The Acme group's shared socialgov rule pack: socialgov.yaml and rules/ beside this file."""
