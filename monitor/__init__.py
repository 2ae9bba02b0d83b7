"""What warta keeps an eye on, read from the store and the index: each outlet's crawl health and schedule
(status.py, yields.py) and the saved searches that alert (watches.py). Used by the web app, the command
line and the scheduler; it never crawls and never writes the index."""
