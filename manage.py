#!/usr/bin/env python
from communique.cli import main

if __name__ == "__main__":
    main()
