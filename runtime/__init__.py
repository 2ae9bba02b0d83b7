"""Where and how warta's processes run on one machine: the data directory's layout (paths.py) and children
that die with their parent (processes.py). Every stage may use it; it uses none of them."""
