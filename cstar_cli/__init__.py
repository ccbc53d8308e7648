"""cstar: the developer command line for the cStar support platform."""

__version__ = "0.1.0"
