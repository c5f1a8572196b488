"""The benchmark suite: measured figures of Mutualis against their targets (see bench/run.py).

bench/ is not an app: it imports the project, the project never imports it.
"""
