from socialgov.cli import run

run()
