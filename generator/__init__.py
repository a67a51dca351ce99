"""Static open-data site generator for Emulation Cluster No. 2 (Gia Lai).

Pipeline: ``load`` -> ``validate`` -> ``render`` -> ``write`` -> MkDocs (``site``).
"""

__version__ = "0.1.0"
