"""Stage 1, read: find the Data Packages under ``datasets/``, refuse what is unsafe to read (``guard``), and
turn descriptors and rows into the typed model (``load``), with each dataset's history from git
(``history``)."""
