"""Static open-data site generator for Emulation Cluster No. 2 (Gia Lai).

A one-way pipeline of four stage packages, each importing only the shared modules below and the stages
before it (``tests/test_layout.py``):

``read`` -> ``check`` -> ``outputs`` -> ``publish``

Shared by every stage: ``config`` (where things are), ``models`` (the typed catalogue), ``records`` (the one
CSV record reader), ``issues`` (problems as data), ``cache`` (what is costly, kept by content), ``vocab``,
``i18n``, ``mdsafe`` and ``workers``. The commands (``cli``, ``build``, ``diff``, ``scaffold``,
``workflow_commands``) call the stages.
"""

__version__ = "0.1.0"
