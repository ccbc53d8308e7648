"""Allow ``python -m cstar_cli``."""

from cstar_cli.main import main

if __name__ == "__main__":
    main()
