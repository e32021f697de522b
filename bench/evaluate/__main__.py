"""``python -m bench.evaluate [EVAL_DIR]``: the command of :mod:`bench.evaluate.cli`."""

from bench.evaluate.cli import main

if __name__ == "__main__":
    main()
